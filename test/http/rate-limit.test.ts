// Per-node token buckets through the real app (docs/api/README.md#limits), with the injected clock standing still
// or moved by hand.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { API_KEY, startTestNode, suiteScope, type TestNode, type TestResponse } from '../support/harness.js';

function assertRateLimited(response: TestResponse): void {
  assert.equal(response.status, 429, response.text);
  assert.equal(response.headers['retry-after'], '1');
  assert.equal(response.body.errors.length, 1);
  assert.equal(response.body.errors[0].code, 1015);
  assert.equal(response.body.errors[0].title, 'Too many requests');
  assert.match(response.body.errors[0].details, /20 requests\/s \(burst 60\)/);
  assert.deepEqual(response.body.meta, { api_status: 'stable', version: 'v2.53.0' });
}

/** Sends limited requests until one is refused; answers how many passed (all 200) and the refusal. */
async function passUntilRefused(send: (i: number) => Promise<TestResponse>, max = 200) {
  for (let i = 0; i < max; i++) {
    const response = await send(i);
    if (response.status === 429) return { passed: i, refusal: response };
    assert.equal(response.status, 200, `request ${i + 1}: ${response.text}`);
  }
  return { passed: max, refusal: undefined };
}

describe('rate limits', () => {
  let t: TestNode;
  let admin: string;
  // Contacts, a user and support: three endpoints of the default bucket, taken in turn.
  const mixed = (i: number) => {
    switch (i % 3) {
      case 0:
        return t.request({
          method: 'POST',
          url: '/v1/contacts',
          token: admin,
          body: { blocking: 'wait', contacts: ['+16315551000'] },
        });
      case 1:
        return t.request({ url: '/v1/users/admin', token: admin });
      default:
        return t.request({ url: '/v1/support', token: admin });
    }
  };
  const support = () => t.request({ url: '/v1/support', token: admin });

  const suite = suiteScope();
  before(async () => {
    t = await startTestNode(suite, { env: { WA_RATE_LIMIT_DEFAULT: '20/60', WA_RATE_LIMIT_MESSAGES: '50/150' } });
    // The login spends a token of the default bucket; a rest of 3 s fills the bucket again.
    admin = await t.adminToken();
    t.clock.advance(3000);
  });

  it('grants exactly the burst of 60 at one instant across all default-bucket endpoints, then 429 / 1015', async () => {
    const { passed, refusal } = await passUntilRefused(mixed);
    assert.equal(passed, 60);
    assertRateLimited(refusal!);
    assertRateLimited(await t.request({ url: '/v1/users/admin', token: admin }));
    assertRateLimited(
      await t.request({ method: 'POST', url: '/v1/contacts', token: admin, body: { contacts: ['+16315551000'] } }),
    );
  });

  // Changed with the anonymous buckets (anonymous-limits.test.ts): unauthenticated requests and logins no longer draw
  // from the authenticated callers' bucket, so an empty default bucket refuses them nothing.
  it("leaves anonymous requests out of the authenticated callers' bucket: 401 while it is empty", async () => {
    assertRateLimited(await support());
    assert.equal((await t.request({ url: '/v1/support' })).status, 401);
    assert.equal((await t.request({ method: 'POST', url: '/v1/users/login', basic: ['admin', 'wrong'] })).status, 401);
    assertRateLimited(await support());
  });

  it('keeps health, metrics and GET / exempt while the bucket is empty', async () => {
    assertRateLimited(await support());
    assert.equal((await t.request({ url: '/v1/health', token: admin })).status, 200);
    assert.equal((await t.request({ url: '/v1/health', apiKey: API_KEY })).status, 200);
    assert.equal((await t.request({ url: '/metrics', apiKey: API_KEY })).status, 200);
    assert.equal((await t.request({ url: '/v1/metrics', token: admin })).status, 200);
    assert.equal((await t.request({ url: '/' })).status, 200);
    assertRateLimited(await support());
  });

  it('refills one token per 50 ms at 20/s', async () => {
    t.clock.advance(49);
    assertRateLimited(await support());
    t.clock.advance(1);
    assert.equal((await support()).status, 200);
    assertRateLimited(await support());
    t.clock.advance(50);
    assert.equal((await mixed(1)).status, 200);
    assertRateLimited(await mixed(0));
    t.clock.advance(500);
    assert.equal((await passUntilRefused(mixed)).passed, 10);
  });

  it('holds no more than the burst after a long rest', async () => {
    t.clock.advance(3000);
    assert.equal((await passUntilRefused(mixed)).passed, 60);
    t.clock.advance(60_000);
    assert.equal((await passUntilRefused(mixed)).passed, 60);
  });

  it('counts refusals in /metrics and in /v1/stats/app, and shows each bucket level', async () => {
    const metrics = await t.request({ url: '/metrics?format=prometheus', apiKey: API_KEY });
    assert.equal(metrics.status, 200);
    const refused = /^openprem_rate_limited_total\{bucket="default",node="[0-9a-f]+"\} (\d+)$/m.exec(metrics.text);
    assert.ok(refused, metrics.text);
    // 3 + 2 + 2 + 4 + 2 refusals in the tests above.
    assert.equal(Number(refused[1]), 13);
    assert.match(metrics.text, /^openprem_rate_limit_tokens\{bucket="default",node="[0-9a-f]+"\} 0$/m);
    // Nothing here draws from the messages bucket: it is still full.
    assert.match(metrics.text, /^openprem_rate_limit_tokens\{bucket="messages",node="[0-9a-f]+"\} 150$/m);
    const json = await t.request({ url: '/v1/metrics', apiKey: API_KEY });
    assert.deepEqual(
      json.body.metrics.openprem_rate_limited_total.data.map((d: any) => [d.labels.bucket, d.value]),
      [
        ['messages', 0],
        ['default', 13],
      ],
    );

    t.clock.advance(50);
    const stats = await t.request({ url: '/v1/stats/app', apiKey: API_KEY });
    assert.equal(stats.status, 200);
    const figures = stats.body.stats.app[t.node.nodeKey];
    assert.deepEqual(figures.rate_limit_triggered.data, [
      { labels: { bucket: 'messages' }, value: 0 },
      { labels: { bucket: 'default' }, value: 13 },
    ]);
    assert.ok(
      figures.endpoint_requests.data.some(
        (d: any) => d.labels.endpoint === 'GET_v1_support' && d.labels.result === '429' && d.value > 0,
      ),
    );
  });
});

describe('rate limit configuration', () => {
  const supportOf = (t: TestNode, token: string) => () => t.request({ url: '/v1/support', token });

  it('WA_RATE_LIMIT_MESSAGES=off still limits every other endpoint', async (context) => {
    const t = await startTestNode(context, { env: { WA_RATE_LIMIT_DEFAULT: '20/60', WA_RATE_LIMIT_MESSAGES: 'off' } });
    const token = await t.adminToken();
    t.clock.advance(3000);
    const { passed, refusal } = await passUntilRefused(supportOf(t, token));
    assert.equal(passed, 60);
    assertRateLimited(refusal!);
  });

  it('WA_RATE_LIMIT_DEFAULT=off limits nothing but messages, and a custom pair is honoured', async (context) => {
    const off = await startTestNode(context, {
      env: { WA_RATE_LIMIT_DEFAULT: 'off', WA_RATE_LIMIT_MESSAGES: '50/150' },
    });
    assert.equal((await passUntilRefused(supportOf(off, await off.adminToken()), 150)).passed, 150);
    const custom = await startTestNode(context, { env: { WA_RATE_LIMIT_DEFAULT: '0.5/3' } });
    const token = await custom.adminToken();
    custom.clock.advance(2000);
    const { passed, refusal } = await passUntilRefused(supportOf(custom, token));
    assert.equal(passed, 3);
    assert.equal(refusal?.headers['retry-after'], '2', 'a token every 2 s at 0.5/s');
    assert.match(refusal?.body.errors[0].details, /0\.5 requests\/s \(burst 3\)/);
  });

  it('rounds a fractional wait up in Retry-After: waiting that long is enough, waiting less is not', async (context) => {
    // A token every 2.5 s: the wait after the only token is spent is 2.5 s, announced as 3.
    const t = await startTestNode(context, { env: { WA_RATE_LIMIT_DEFAULT: '0.4/1' } });
    const support = supportOf(t, await t.adminToken());
    t.clock.advance(2500);
    assert.equal((await support()).status, 200);
    const refusal = await support();
    assert.equal(refusal.status, 429);
    assert.equal(refusal.headers['retry-after'], '3');
    // A client that waits the rounded-down 2 s is refused again, told the rest (0.5 s) as 1.
    t.clock.advance(2000);
    const early = await support();
    assert.equal(early.status, 429);
    assert.equal(early.headers['retry-after'], '1');
    t.clock.advance(1000);
    assert.equal((await support()).status, 200, 'waiting exactly the first Retry-After is enough');
  });
});
