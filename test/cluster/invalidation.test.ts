// Changes made through one node reach the other nodes' memory through the cluster bus, not the timed refreshes:
// both nodes cache tokens and settings for 60 s here, so only a notice explains a change seen within seconds.
// PostgreSQL: LISTEN/NOTIFY between the nodes; SQLite: the in-process bus of the nodes sharing the file.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { createSettingsRepository } from '../../src/db/repositories/settings.js';
import { createSettingsService } from '../../src/services/settings.js';
import { TEST_DIALECT } from '../support/database.js';
import { API_KEY, eventually, startNodePair, suiteScope, type TestNode } from '../support/harness.js';

const CACHED_FOR_A_MINUTE = { WA_SETTINGS_REFRESH_MS: '60000', WA_TOKEN_CACHE_MS: '60000' };
// Well inside the 60 s the caches would otherwise keep the old state.
const BOUND_MS = 3000;

async function refusedOn(node: TestNode, token: string): Promise<true | undefined> {
  return (await node.request({ url: '/v1/health', token })).status === 401 ? true : undefined;
}

describe('cluster invalidation', () => {
  let a: TestNode;
  let b: TestNode;
  let admin: string;

  const suite = suiteScope();
  before(async () => {
    ({ a, b } = await startNodePair(suite, { env: CACHED_FOR_A_MINUTE }, { env: CACHED_FOR_A_MINUTE }));
    admin = await a.adminToken();
  });

  /** A ROLE_USER token, already cached by node b. */
  async function tokenCachedOnB(username: string): Promise<string> {
    const token = await a.userToken(username);
    assert.equal((await b.request({ url: '/v1/health', token })).status, 200);
    return token;
  }

  it('a logout on one node is refused by the other within seconds', async () => {
    const token = await tokenCachedOnB('leaver1');
    assert.equal((await a.request({ method: 'POST', url: '/v1/users/logout', token })).status, 200);
    await eventually(() => refusedOn(b, token), BOUND_MS);
  });

  it("a password change on one node revokes the user's tokens on the other", async () => {
    const token = await tokenCachedOnB('changer1');
    const changed = await a.request({
      method: 'PUT',
      url: '/v1/users/changer1',
      token: admin,
      body: { password: 'Other-Pass2!' },
    });
    assert.equal(changed.status, 200, changed.text);
    await eventually(() => refusedOn(b, token), BOUND_MS);
  });

  it('a user deleted on one node is refused by the other', async () => {
    const token = await tokenCachedOnB('deleted1');
    assert.equal((await a.request({ method: 'DELETE', url: '/v1/users/deleted1', token: admin })).status, 200);
    await eventually(() => refusedOn(b, token), BOUND_MS);
  });

  it('a settings change on one node is in force on the other within seconds', async () => {
    const patched = await a.request({
      method: 'PATCH',
      url: '/v1/settings/application',
      token: admin,
      body: { webhooks: { url: 'https://hooks.example.com/one' } },
    });
    assert.equal(patched.status, 200, patched.text);
    await eventually(
      async () => (b.node.settings.current().webhooks.url === 'https://hooks.example.com/one' ? true : undefined),
      BOUND_MS,
    );
  });

  it('after its notice connection was cut, a node re-reads what it may have missed', {
    skip: TEST_DIALECT !== 'postgres' && "LISTEN/NOTIFY exists on PostgreSQL only; SQLite's bus is in-process",
  }, async () => {
    // Written behind the nodes' backs (no notice at all), as an old binary or a hand edit would.
    const silent = createSettingsService({
      repository: createSettingsRepository(a.node.db.db, a.node.sealer),
      clock: a.clock,
      businessWaId: '0',
    });
    await silent.load();
    assert.equal((await silent.patch({ webhooks: { url: 'https://hooks.example.com/unannounced' } })).ok, true);
    assert.notEqual(b.node.settings.current().webhooks.url, 'https://hooks.example.com/unannounced');
    const listener = b.node.cluster.listenerPid();
    assert.ok(listener);
    await sql`select pg_terminate_backend(${listener})`.execute(a.node.db.db);
    await eventually(
      async () =>
        b.node.settings.current().webhooks.url === 'https://hooks.example.com/unannounced' ? true : undefined,
      BOUND_MS,
    );
    const reconnected = await eventually(async () => b.node.cluster.listenerPid() ?? undefined);
    assert.notEqual(reconnected, listener);
    const metrics = (await b.request({ url: '/metrics', apiKey: API_KEY })).body.metrics;
    assert.equal(metrics.openprem_cluster_bus_reconnects_total.data[0].value, 1);
    // And the new connection carries notices again.
    const token = await tokenCachedOnB('after1');
    assert.equal((await a.request({ method: 'POST', url: '/v1/users/logout', token })).status, 200);
    await eventually(() => refusedOn(b, token), BOUND_MS);
  });

  // Last: the restore replaces every user, the tokens of the tests above with them.
  it('a restore through one node is in force on the other within seconds', async () => {
    const patch = (url: string) =>
      a.request({ method: 'PATCH', url: '/v1/settings/application', token: admin, body: { webhooks: { url } } });
    assert.equal((await patch('https://hooks.example.com/backed-up')).status, 200);
    const backup = await a.request({
      method: 'POST',
      url: '/v1/settings/backup',
      token: admin,
      body: { password: 'Backup-Pass1!' },
    });
    assert.equal(backup.status, 200, backup.text);
    assert.equal((await patch('https://hooks.example.com/later')).status, 200);
    await eventually(
      async () => (b.node.settings.current().webhooks.url === 'https://hooks.example.com/later' ? true : undefined),
      BOUND_MS,
    );
    const token = await tokenCachedOnB('restored1');
    const restored = await a.request({
      method: 'POST',
      url: '/v1/settings/restore',
      token: admin,
      body: { password: 'Backup-Pass1!', data: backup.body.settings.data },
    });
    assert.equal(restored.status, 200, restored.text);
    await eventually(
      async () => (b.node.settings.current().webhooks.url === 'https://hooks.example.com/backed-up' ? true : undefined),
      BOUND_MS,
    );
    // The restore replaced every user: a token cached on B before it is dropped there too.
    await eventually(() => refusedOn(b, token), BOUND_MS);
  });
});
