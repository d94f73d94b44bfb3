// Three nodes on one PostgreSQL: one leader lease, takeover when its holder stops renewing or stops cleanly, and the
// health and support shapes of one and of several live nodes (docs/api/health-and-metrics.md#health,
// docs/api/health-and-metrics.md#support, docs/api/cluster.md#leader-and-heartbeats). Heartbeats are driven by hand on
// the shared manual clock: heartbeat_interval is set to a day so that no timer beats meanwhile.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { TEST_DIALECT } from '../support/database.js';
import { API_KEY, eventually, startTestNode, suiteScope, type TestNode } from '../support/harness.js';

const UNHEALTHY_MS = 30_000;

describe('cluster leadership', {
  skip: TEST_DIALECT !== 'postgres' && 'several nodes share PostgreSQL only; a SQLite file belongs to one process',
}, () => {
  let a: TestNode;
  let b: TestNode;
  let c: TestNode;
  const leaders = (nodes: TestNode[]) => nodes.filter((n) => n.node.cluster.isLeader());
  const beatAll = (nodes: TestNode[]) => Promise.all(nodes.map((n) => n.node.cluster.heartbeat()));
  const health = async (n: TestNode) => (await n.request({ url: '/v1/health', apiKey: API_KEY })).body.health;

  const suite = suiteScope();
  before(async () => {
    a = await startTestNode(suite);
    const patched = await a.request({
      method: 'PATCH',
      url: '/v1/settings/application',
      token: await a.adminToken(),
      body: { heartbeat_interval: 86_400 },
    });
    assert.equal(patched.status, 200, patched.text);
    b = await startTestNode(suite, { shareDatabaseOf: a });
    c = await startTestNode(suite, { shareDatabaseOf: a });
    await beatAll([a, b, c]);
  });

  it('exactly one of three nodes holds the lease: the first started', () => {
    assert.deepEqual(leaders([a, b, c]), [a]);
  });

  it('GET /v1/health answers one key per live node, with its role', async () => {
    for (const n of [a, b, c]) {
      assert.deepEqual(await health(n), {
        [a.node.nodeKey]: { gateway_status: 'connected', role: 'primary_master' },
        [b.node.nodeKey]: { gateway_status: 'connected', role: 'coreapp' },
        [c.node.nodeKey]: { gateway_status: 'connected', role: 'coreapp' },
      });
    }
  });

  it('GET /v1/support lists every live node in the reference shape', async () => {
    const support = (await b.request({ url: '/v1/support', token: await b.adminToken() })).body.support;
    assert.deepEqual(Object.keys(support).sort(), [a.node.nodeKey, b.node.nodeKey, c.node.nodeKey].sort());
    assert.equal(support[a.node.nodeKey].role, 'primary_master');
    assert.deepEqual(support[a.node.nodeKey].shards, [
      [-1, -1],
      [0, 0],
    ]);
    assert.equal(support[b.node.nodeKey].role, 'coreapp');
    assert.deepEqual(support[b.node.nodeKey].shards, []);
    assert.equal(support[c.node.nodeKey].socket_conn, 'UP');
    assert.equal(support[c.node.nodeKey].db_engine, 'PGSQL');
  });

  it('another node takes over within unhealthy_interval when the holder stops renewing', async () => {
    a.clock.advance(UNHEALTHY_MS - 1000);
    await b.node.cluster.heartbeat();
    assert.equal(b.node.cluster.isLeader(), false, "the holder's lease has not run out yet");
    a.clock.advance(1000);
    await b.node.cluster.heartbeat();
    assert.equal(b.node.cluster.isLeader(), true);
    // The old holder learns it at its next heartbeat, and its singleton work stops.
    await a.node.cluster.heartbeat();
    await c.node.cluster.heartbeat();
    assert.deepEqual(leaders([a, b, c]), [b]);
    const metrics = (await a.request({ url: '/metrics', apiKey: API_KEY })).body.metrics;
    assert.equal(metrics.openprem_cluster_leader.data[0].value, 0);
    assert.equal(
      metrics.openprem_cluster_leader_changes_total.data.find((d: any) => d.labels.change === 'lost').value,
      1,
    );
    assert.equal((await health(c))[b.node.nodeKey].role, 'primary_master');
  });

  it('a holder that stops cleanly gives the lease up at once', async () => {
    await b.close();
    // No clock move, no heartbeat by hand: the release notice makes a and c race for the lease at once.
    await eventually(async () => (leaders([a, c]).length === 1 ? true : undefined));
    assert.equal(leaders([a, c]).length, 1);
    // The leaving node's notice makes a heartbeat re-read the registry; that heartbeat may still be under way.
    await eventually(async () => (Object.keys(await health(a)).length === 2 ? true : undefined));
  });

  it('with one live node left, /v1/health has the single-node shape', async () => {
    await c.close();
    await eventually(async () => (a.node.cluster.isLeader() ? true : undefined));
    await a.node.cluster.heartbeat();
    assert.deepEqual(await health(a), { gateway_status: 'connected' });
    const support = (await a.request({ url: '/v1/support', token: await a.adminToken() })).body.support;
    assert.deepEqual(Object.keys(support), [a.node.nodeKey]);
    assert.equal(support[a.node.nodeKey].role, 'primary_master');
  });
});
