// Health, metrics, stats and support (docs/api/health-and-metrics.md, docs/api/choices.md#metrics-stats-health) on a
// real node and database.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { TEST_DIALECT } from '../support/database.js';
import { API_KEY, eventually, startTestNode, suiteScope, type TestNode } from '../support/harness.js';
import { createGate } from '../support/gated-gateway.js';
import { assertError } from '../support/assertions.js';

/** The sample of a JSON metric family whose labels include all of `labels`. */
function sample(
  family: any,
  labels: Record<string, string | number>,
): { labels: Record<string, unknown>; value: number } | undefined {
  return family?.data.find((d: any) => Object.entries(labels).every(([k, v]) => d.labels[k] === v));
}

describe('observability', () => {
  let t: TestNode;
  let admin: string;
  let user: string;
  const nodeId = () => t.node.nodeKey.split(':').pop();
  // Open unless a test holds the gateway's look-ups, to see them pending.
  const gate = createGate();

  const suite = suiteScope();
  before(async () => {
    t = await startTestNode(suite, {
      wrapGateway: gate.wrap,
    });
    admin = await t.adminToken();
    user = await t.userToken('watcher1');
  });

  describe('GET /v1/health', () => {
    it('answers the single-node shape to an admin, a ROLE_USER and the API key', async () => {
      for (const auth of [{ token: admin }, { token: user }, { apiKey: API_KEY }]) {
        const response = await t.request({ url: '/v1/health', ...auth });
        assert.equal(response.status, 200, response.text);
        assert.deepEqual(response.body, {
          health: { gateway_status: 'connected' },
          meta: { api_status: 'stable', version: 'v2.53.0' },
        });
      }
    });

    it('refuses a wrong or missing credential with 401', async () => {
      assertError(await t.request({ url: '/v1/health', apiKey: 'wrong-api-key-0123456789' }), 401, 1005);
      assertError(await t.request({ url: '/v1/health', token: 'not-a-token' }), 401, 1005);
      assertError(await t.request({ url: '/v1/health' }), 401, 1005);
    });
  });

  describe('GET /metrics and /v1/metrics', () => {
    it('answers the JSON families with request, latency, database and process metrics labelled by node', async () => {
      await t.request({
        method: 'POST',
        url: '/v1/contacts',
        token: user,
        body: { blocking: 'wait', contacts: ['+16315553001'] },
      });
      await t.request({ method: 'POST', url: '/v1/contacts', token: user, body: {} });
      for (const url of ['/metrics', '/v1/metrics']) {
        const response = await t.request({ url, apiKey: API_KEY });
        assert.equal(response.status, 200, response.text);
        assert.deepEqual(response.body.meta, { api_status: 'stable', version: 'v2.53.0' });
        const metrics = response.body.metrics;
        for (const [name, family] of Object.entries<any>(metrics)) {
          assert.equal(typeof family.type, 'string', name);
          assert.equal(typeof family.help, 'string', name);
          assert.ok(Array.isArray(family.data), name);
          for (const d of family.data) {
            assert.equal(d.labels.node, nodeId(), `${name} carries the node label`);
            assert.equal(typeof d.value, 'number', `${name} ${JSON.stringify(d)}`);
          }
        }
        const requests = metrics.openprem_http_requests_total;
        assert.equal(requests.type, 'counter');
        assert.ok((sample(requests, { method: 'POST', route: '/v1/contacts', status: '200' })?.value ?? 0) >= 1);
        assert.ok((sample(requests, { method: 'POST', route: '/v1/contacts', status: '400' })?.value ?? 0) >= 1);
        assert.ok((sample(requests, { method: 'POST', route: '/v1/users/login', status: '200' })?.value ?? 0) >= 2);
        assert.ok(
          sample(metrics.openprem_http_request_duration_seconds_bucket, {
            route: '/v1/contacts',
            status: '200',
            le: '+Inf',
          }),
        );
        assert.ok(sample(metrics.openprem_http_request_duration_seconds_sum, { route: '/v1/contacts', status: '200' }));
        assert.ok(
          (sample(metrics.openprem_http_request_duration_seconds_count, { route: '/v1/contacts' })?.value ?? 0) >= 1,
        );
        assert.ok((sample(metrics.openprem_db_query_duration_seconds_count, { result: 'ok' })?.value ?? 0) > 0);
        assert.ok(metrics.process_cpu_user_seconds_total.data[0].value > 0);
        assert.ok(metrics.nodejs_heap_size_used_bytes.data[0].value > 0);
        assert.equal(metrics.openprem_http_in_flight_requests.type, 'gauge');
      }
    });

    it('answers Prometheus text with ?format=prometheus, to a bearer token too', async () => {
      for (const url of ['/metrics?format=prometheus', '/v1/metrics?format=prometheus']) {
        const response = await t.request({ url, token: user });
        assert.equal(response.status, 200);
        assert.match(String(response.headers['content-type']), /^text\/plain/);
        assert.match(response.text, /^# TYPE openprem_http_requests_total counter$/m);
        assert.match(response.text, /^# TYPE openprem_http_request_duration_seconds histogram$/m);
        assert.match(
          response.text,
          new RegExp(
            `^openprem_http_request_duration_seconds_count\\{node="${nodeId()}",.*route="/v1/contacts".*\\} \\d+$`,
            'm',
          ),
        );
        assert.match(response.text, /^process_cpu_user_seconds_total\{node="[0-9a-f]+"\} [\d.e-]+$/m);
      }
    });

    it('refuses an unknown format with 400 / 1009 and a missing credential with 401', async () => {
      assertError(await t.request({ url: '/metrics?format=xml', apiKey: API_KEY }), 400, 1009);
      assertError(await t.request({ url: '/v1/stats/app?format=csv', apiKey: API_KEY }), 400, 1009);
      assertError(await t.request({ url: '/metrics' }), 401, 1005);
    });
  });

  describe('GET /v1/stats/app', () => {
    it("answers this node's figures keyed by host:node, with endpoint labels in the On-Prem style", async () => {
      await t.request({
        method: 'POST',
        url: '/v1/contacts',
        token: user,
        body: { blocking: 'wait', contacts: ['+16315553002'] },
      });
      const response = await t.request({ url: '/v1/stats/app', token: user });
      assert.equal(response.status, 200, response.text);
      assert.deepEqual(Object.keys(response.body.stats), ['app']);
      assert.deepEqual(Object.keys(response.body.stats.app), [t.node.nodeKey]);
      assert.match(t.node.nodeKey, /^.+:[0-9a-f]{12}$/);
      const app = response.body.stats.app[t.node.nodeKey];
      assert.ok((sample(app.endpoint_requests, { endpoint: 'POST_v1_contacts', result: '200' })?.value ?? 0) >= 1);
      assert.ok(sample(app.endpoint_requests, { endpoint: 'POST_v1_users_login', result: '200' }));
      assert.ok(sample(app.endpoint_requests, { endpoint: 'GET_v1_health', result: '401' }));
      assert.equal(app.endpoint_requests.type, 'counter');
      assert.ok(
        (sample(app.endpoint_requests_duration_ms_count, { endpoint: 'POST_v1_contacts', result: '200' })?.value ??
          0) >= 1,
      );
      assert.ok(
        (sample(app.endpoint_requests_duration_ms_sum, { endpoint: 'POST_v1_contacts', result: '200' })?.value ?? 0) >
          0,
      );
      assert.ok(app.db_request_duration_us_count.data[0].value > 0);
      assert.ok(app.db_request_duration_us_sum.data[0].value > 0);
      assert.deepEqual(app.concurrent_rate_limit_triggered.data, [{ labels: {}, value: 0 }]);
      // Both buckets are reported from the start, at 0 until a refusal.
      assert.deepEqual(app.rate_limit_triggered.data, [
        { labels: { bucket: 'messages' }, value: 0 },
        { labels: { bucket: 'default' }, value: 0 },
      ]);
      assert.deepEqual(app.web_uptime.data, [{ labels: {}, value: 0 }]);
      t.clock.advance(61_000);
      const later = await t.request({ url: '/v1/stats/app', apiKey: API_KEY });
      assert.deepEqual(later.body.stats.app[t.node.nodeKey].web_uptime.data, [{ labels: {}, value: 61 }]);
    });

    it('answers Prometheus text with ?format=prometheus', async () => {
      const response = await t.request({ url: '/v1/stats/app?format=prometheus', apiKey: API_KEY });
      assert.equal(response.status, 200);
      assert.match(String(response.headers['content-type']), /^text\/plain/);
      assert.match(response.text, /^# TYPE endpoint_requests counter$/m);
      assert.match(response.text, /^endpoint_requests\{endpoint="POST_v1_contacts",result="200"\} \d+$/m);
      assert.match(response.text, /^# TYPE web_uptime gauge$/m);
    });
  });

  describe('GET /v1/stats/db', () => {
    it('counts contacts, users and pending look-ups in the database', async () => {
      const read = async () => {
        const response = await t.request({ url: '/v1/stats/db', apiKey: API_KEY });
        assert.equal(response.status, 200, response.text);
        assert.deepEqual(Object.keys(response.body.stats.db), [t.node.nodeKey]);
        const db = response.body.stats.db[t.node.nodeKey];
        return {
          valid: sample(db.db_contacts, { type: 'whatsapp_user' })!.value,
          invalid: sample(db.db_contacts, { type: 'not_whatsapp_user' })!.value,
          users: db.db_users.data[0].value as number,
          pending: db.db_pending_contact_lookups.data[0].value as number,
        };
      };
      const start = await read();
      assert.equal(start.users, 2, 'admin and watcher1');

      // Three new numbers on WhatsApp (one of them twice) and an unreadable one: the three are cached.
      const checked = await t.request({
        method: 'POST',
        url: '/v1/contacts',
        token: user,
        body: { blocking: 'wait', contacts: ['+16315554001', '+16315554002', '+1 631-555-4003', '16315554001', '12'] },
      });
      assert.equal(checked.status, 200);
      assert.deepEqual(
        checked.body.contacts.map((c: any) => c.status),
        ['valid', 'valid', 'valid', 'valid', 'invalid'],
      );
      await t.userToken('watcher2');
      const after = await read();
      assert.equal(after.valid, start.valid + 3);
      assert.equal(after.invalid, start.invalid);
      assert.equal(after.users, 3);

      // A no_wait look-up is pending until the background worker has answered it.
      gate.close();
      const queued = await t.request({
        method: 'POST',
        url: '/v1/contacts',
        token: user,
        body: { blocking: 'no_wait', contacts: ['+16315554005'] },
      });
      assert.deepEqual(queued.body.contacts, [{ input: '+16315554005', status: 'processing', wa_id: '16315554005' }]);
      const held = await read();
      assert.equal(held.pending, 1);
      assert.equal(held.valid, start.valid + 3);
      gate.open();
      const done = await eventually(async () => {
        const figures = await read();
        return figures.pending === 0 && figures.valid === start.valid + 4 ? figures : undefined;
      });
      assert.equal(done.users, 3);
    });

    it('answers Prometheus text with ?format=prometheus', async () => {
      const response = await t.request({ url: '/v1/stats/db?format=prometheus', token: admin });
      assert.equal(response.status, 200);
      assert.match(response.text, /^# TYPE db_contacts gauge$/m);
      assert.match(response.text, /^db_contacts\{type="whatsapp_user"\} \d+$/m);
      assert.match(response.text, /^db_users 3$/m);
      assert.match(response.text, /^db_pending_contact_lookups 0$/m);
    });
  });

  describe('GET /v1/support', () => {
    it('answers the support shape with the database engine, to a ROLE_USER too', async () => {
      for (const token of [admin, user]) {
        const response = await t.request({ url: '/v1/support', token });
        assert.equal(response.status, 200, response.text);
        assert.deepEqual(Object.keys(response.body.support), [t.node.nodeKey]);
        const support = response.body.support[t.node.nodeKey];
        assert.equal(support.db_engine, TEST_DIALECT === 'postgres' ? 'PGSQL' : 'SQLITE');
        assert.deepEqual(support.db_info, [{ dialect: TEST_DIALECT }]);
        assert.equal(support.role, 'primary_master');
        assert.deepEqual(support.shards, [
          [-1, -1],
          [0, 0],
        ]);
        assert.equal(support.context, 'healthcheck');
        assert.equal(support.socket_conn, 'UP');
        assert.equal(support.debug_info, '16315550000');
        assert.equal(support.multi_connect, false);
        assert.match(support.description, /^OpenPrem \d+\.\d+\.\d+ \(API level v2\.53\.0, sandbox gateway\)$/);
      }
    });

    it('refuses the API key and a missing credential with 401', async () => {
      assertError(await t.request({ url: '/v1/support', apiKey: API_KEY }), 401, 1005);
      assertError(await t.request({ url: '/v1/support' }), 401, 1005);
    });
  });
});
