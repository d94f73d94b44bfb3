// Cloud API errors reach On-Prem clients as On-Prem errors (docs/api/cloud-bridge.md#errors): the code and HTTP status
// of the table, Meta's code and fbtrace_id in details, throttling retried inside the gateway, our own token never shown
// (not in answers, not in logs), Graph down answered 503 in the envelope.
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { before, describe, it } from 'node:test';
import pino from 'pino';
import { assertError } from '../support/assertions.js';
import { cloudEnv, FAKE_TOKEN, startFakeGraph, type FakeGraph } from '../support/fake-graph.js';
import { startCloudNode, type CloudNode } from '../support/cloud-node.js';
import { startAdminNode, startTestNode, suiteScope, type TestNode } from '../support/harness.js';

describe('cloud gateway: errors', () => {
  let fake: FakeGraph;
  let t: TestNode;
  let admin: string;
  const logLines: string[] = [];
  const send = () =>
    t.request({ method: 'POST', url: '/v1/messages', token: admin, body: { to: '16315551001', text: { body: 'hi' } } });

  let cloud: CloudNode;
  const suite = suiteScope();
  before(async () => {
    const sink = new Writable({
      write(chunk, _encoding, done) {
        logLines.push(String(chunk));
        done();
      },
    });
    cloud = await startCloudNode(suite, {
      env: { WA_CLOUD_THROTTLE_RETRIES: '3' },
      logger: pino({ level: 'trace' }, sink),
    });
    ({ fake, t, admin } = cloud);
  });

  it('131026 → 400 / 1026 with the Cloud code and fbtrace_id in details, nothing stored', async () => {
    fake.failNext('sendMessage', { code: 131026, message: '(#131026) Message undeliverable' });
    const response = await send();
    assertError(
      response,
      400,
      1026,
      /^Cloud API error 131026: \(#131026\) Message undeliverable: .*fbtrace_id Afake[0-9a-f]+$/,
    );
    const rows = await t.node.db.db.selectFrom('messages').select('id').execute();
    assert.equal(rows.length, 0);
  });

  it('100 → 400 / 1009; 132001 → 400 / 2001; 131000 → 500 / 1000', async () => {
    fake.failNext('sendMessage', { code: 100, message: '(#100) Invalid parameter' });
    assertError(await send(), 400, 1009, /Cloud API error 100/);
    fake.failNext('sendMessage', {
      code: 132001,
      message: '(#132001) Template name does not exist in the translation',
    });
    assertError(await send(), 400, 2001, /Cloud API error 132001/);
    fake.failNext('sendMessage', { status: 500, code: 131000, message: '(#131000) Something went wrong' });
    assertError(await send(), 500, 1000, /Cloud API error 131000/);
  });

  it('190 (our token refused) → 503 / 1005, and the token is in no answer', async () => {
    fake.failNext('sendMessage', {
      status: 401,
      code: 190,
      message: `Error validating access token: ${FAKE_TOKEN} has expired`,
    });
    const response = await send();
    assertError(response, 503, 1005, /WA_CLOUD_ACCESS_TOKEN/);
    assert.ok(!response.text.includes(FAKE_TOKEN));
    assert.ok(response.headers['retry-after']);
  });

  it('retries throttling: success after 2 throttled answers, the message sent once', async () => {
    const before = fake.of('sendMessage').length;
    fake.failNext('sendMessage', { code: 130429 }, 2);
    const response = await send();
    assert.equal(response.status, 201, response.text);
    assert.equal(fake.of('sendMessage').length - before, 3);
  });

  it('throttled past the bound → 429 / 1015 with Retry-After', async () => {
    const before = fake.of('sendMessage').length;
    fake.failNext('sendMessage', { code: 131056 }, 10);
    const response = await send();
    assertError(response, 429, 1015, /Cloud API error 131056/);
    assert.equal(response.headers['retry-after'], '1');
    assert.equal(fake.of('sendMessage').length - before, 4);
    fake.failNext('sendMessage', { code: 131056 }, 0);
  });

  it('Graph unreachable → 503 / 1011 in the envelope', async (context) => {
    const unreachable = await startTestNode(context, { env: cloudEnv({ url: 'http://127.0.0.1:9' }) });
    const token = await unreachable.adminToken();
    const health = await unreachable.request({ url: '/v1/health', token });
    assert.deepEqual(health.body.health, { gateway_status: 'disconnected' });
    const response = await unreachable.request({
      method: 'POST',
      url: '/v1/messages',
      token,
      body: { to: '16315551001', text: { body: 'hi' } },
    });
    assertError(response, 503, 1011, /could not be reached/);
  });

  it('Graph too slow → 503 / 1011 once WA_CLOUD_TIMEOUT_MS has passed', async (context) => {
    const slow = await startFakeGraph({ delayMs: 2000, record: false });
    context.after(() => slow.close());
    const { t: node, admin: token } = await startAdminNode(context, {
      env: cloudEnv(slow, { WA_CLOUD_TIMEOUT_MS: '200' }),
    });
    const started = Date.now();
    const response = await node.request({
      method: 'POST',
      url: '/v1/messages',
      token,
      body: { to: '16315551001', text: { body: 'hi' } },
    });
    assertError(response, 503, 1011, /did not answer in time/);
    assert.ok(Date.now() - started < 1900, 'answered before the fake would have');
  });

  it('counts Graph calls by result in the metrics, without the token', async () => {
    const metrics = await t.request({ url: '/metrics?format=prometheus', token: admin });
    assert.equal(metrics.status, 200);
    for (const result of ['ok', 'meta_error']) {
      assert.match(
        metrics.text,
        new RegExp(`openprem_cloud_graph_call_duration_seconds_count\\{[^}]*result="${result}"[^}]*\\} [1-9]`),
      );
    }
    assert.ok(!metrics.text.includes(FAKE_TOKEN));
  });

  it("logs each Graph error once at warn with Meta's code and fbtrace_id; the token refusal only at error", () => {
    const lines = logLines.map(
      (line) =>
        JSON.parse(line) as { level: number; msg: string; cloudCode?: number; fbtraceId?: string; call?: string },
    );
    const graphErrors = lines.filter((line) => line.msg === 'the Cloud API answered an error');
    const undeliverable = graphErrors.filter((line) => line.cloudCode === 131026);
    assert.equal(undeliverable.length, 1);
    assert.equal(undeliverable[0]!.level, 40);
    assert.match(String(undeliverable[0]!.fbtraceId), /^Afake[0-9a-f]+$/);
    assert.match(String(undeliverable[0]!.call), /^POST \/.+\/messages$/);
    assert.ok(!graphErrors.some((line) => line.cloudCode === 190), 'the refused token has its own error line');
    assert.equal(lines.filter((line) => /refused WA_CLOUD_ACCESS_TOKEN/.test(line.msg) && line.level === 50).length, 1);
    // Throttled calls that were retried are told as throttling, not as errors; the one past the bound is an error.
    assert.equal(graphErrors.filter((line) => line.cloudCode === 130429).length, 0);
  });

  it('never writes the access token to the logs', () => {
    assert.ok(logLines.length > 0, 'the test captured log lines');
    assert.ok(
      logLines.some((line) => line.includes('throttled')),
      'throttling was logged',
    );
    for (const line of logLines) assert.ok(!line.includes(FAKE_TOKEN), line.slice(0, 300));
  });
});
