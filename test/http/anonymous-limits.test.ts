// Rate limits after identity (issue 13): authenticated callers draw from the per-node route buckets once their token
// is checked; unauthenticated requests and logins draw from a bucket per address and one per node, so that an
// anonymous flood cannot spend the authenticated callers' budget. The injected clock stands in for real rates.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { ADMIN_PASSWORD, startTestNode, suiteScope, type TestNode } from '../support/harness.js';

const FLOODER = '203.0.113.9';

describe('anonymous rate limits', () => {
  let t: TestNode;
  let admin: string;
  const from = (remoteAddress: string, url: string, authorization?: string) =>
    t.node.app.server.inject({ url, remoteAddress, headers: authorization ? { authorization } : {} });
  const basic = (username: string, password: string) =>
    `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
  const login = (remoteAddress: string, username = 'admin', password = ADMIN_PASSWORD) =>
    t.node.app.server.inject({
      method: 'POST',
      url: '/v1/users/login',
      remoteAddress,
      headers: { authorization: basic(username, password) },
    });

  const suite = suiteScope();
  before(async () => {
    t = await startTestNode(suite, {
      env: { WA_RATE_LIMIT_DEFAULT: '20/60', WA_RATE_LIMIT_ANONYMOUS: '5/20', WA_RATE_LIMIT_ANONYMOUS_TOTAL: '20/60' },
    });
    admin = await t.adminToken();
    t.clock.advance(5000);
  });

  it('serves every admin request during a flood of 190 unauthenticated requests/s from one address', async () => {
    // 10 s of clock: each 100 ms, 19 requests of the flood (no credentials, a made-up token, a wrong scheme) and
    // one of the admin (10/s, within the 20/s of the default bucket).
    const flood = new Map<number, number>();
    const admins = new Map<number, number>();
    const count = (map: Map<number, number>, status: number) => map.set(status, (map.get(status) ?? 0) + 1);
    for (let tick = 0; tick < 100; tick++) {
      if (tick > 0) t.clock.advance(100);
      for (let i = 0; i < 19; i++) {
        const kind = i % 3;
        const credentials = [undefined, 'Bearer made-up-token', basic('admin', 'Wrong-Pass1!')][kind];
        const response = await from(FLOODER, '/v1/support', credentials);
        count(flood, response.statusCode);
      }
      count(admins, (await from('198.51.100.1', '/v1/support', `Bearer ${admin}`)).statusCode);
    }
    assert.deepEqual([...admins], [[200, 100]]);
    // The flooder gets its burst of 20 and 5 a second after it: 20 + 5 × 9.9 s between the first and last tick.
    assert.deepEqual([...flood].sort(), [
      [401, 69],
      [429, 1831],
    ]);
  });

  it("answers the flood 429 / 1015 with Retry-After from its address's bucket, while another address logs in", async () => {
    const refused = await from(FLOODER, '/v1/support');
    assert.equal(refused.statusCode, 429);
    assert.equal(refused.headers['retry-after'], '1');
    const body = JSON.parse(refused.body);
    assert.equal(body.errors[0].code, 1015);
    assert.match(body.errors[0].details, /rate limit of 5 requests\/s \(burst 20\) exceeded/);
    const refusedLogin = await login(FLOODER);
    assert.equal(refusedLogin.statusCode, 429, 'a login draws from the anonymous bucket of its address');
    assert.match(JSON.parse(refusedLogin.body).errors[0].details, /5 requests\/s/);
    assert.equal((await login('198.51.100.2')).statusCode, 200);
  });

  it('bounds anonymous traffic from many addresses by the node bucket, and still serves the admin', async () => {
    t.clock.advance(10_000);
    const statuses = new Map<number, number>();
    for (let i = 0; i < 100; i++) {
      const status = (await from(`192.0.2.${i + 1}`, '/v1/support')).statusCode;
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
    }
    // The node's anonymous bucket holds 60: the other 40 are refused although each address is fresh.
    assert.deepEqual([...statuses].sort(), [
      [401, 60],
      [429, 40],
    ]);
    const refusal = JSON.parse((await from('192.0.2.200', '/v1/support')).body);
    assert.match(refusal.errors[0].details, /rate limit of 20 requests\/s \(burst 60\) exceeded/);
    assert.equal((await from('192.0.2.201', '/v1/support', `Bearer ${admin}`)).statusCode, 200);
  });

  it('counts IPv6 clients by their /64', async () => {
    t.clock.advance(10_000);
    const statuses = [];
    for (let i = 0; i < 21; i++)
      statuses.push((await from(`2001:db8:5:6::${(i + 1).toString(16)}`, '/v1/support')).statusCode);
    assert.deepEqual(statuses, [...Array(20).fill(401), 429]);
    assert.equal((await from('2001:db8:5:7::1', '/v1/support')).statusCode, 401);
  });

  it('counts anonymous refusals apart in /metrics', async () => {
    const json = await t.request({ url: '/v1/metrics', apiKey: 'test-api-key-0123456789' });
    const refused = Object.fromEntries(
      json.body.metrics.openprem_rate_limited_total.data.map((d: any) => [d.labels.bucket, d.value]),
    );
    assert.equal(refused.default, 0, "the flood never touched the authenticated callers' bucket");
    assert.ok(refused.anonymous > 0 && refused.anonymous_total > 0, JSON.stringify(refused));
  });
});
