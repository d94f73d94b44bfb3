// Three real node processes on one PostgreSQL database share their state: a token issued by one is accepted by
// the others, a logout through one is refused by the others within WA_TOKEN_CACHE_MS, and a settings change
// through one applies on the others within WA_SETTINGS_REFRESH_MS (observed on the request path, not through
// GET /v1/settings/application, which re-reads the database on every call).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { eventually, suiteScope } from '../support/harness.js';
import { call, login, SQLITE_SKIP, startCluster, type Cluster } from '../support/cluster.js';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

const KERRY = '16315551234';
const HASH = 'UKD6Y/5SqDU=';
// Short bounds so that the test waits little; each assertion below allows the bound plus this much for a busy
// 2-core machine running other test files beside three node processes.
const REFRESH_MS = 500;
const TOKEN_CACHE_MS = 500;
const SLACK_MS = 2500;

describe('three nodes on one database', { skip: SQLITE_SKIP }, () => {
  let scratch: string;
  let database: TestDatabase;
  let cluster: Cluster;
  let urls: string[];

  // First of the suite's after hooks: the nodes die before what they use goes.
  const suite = suiteScope();
  before(async () => {
    scratch = await mkdtemp(path.join(os.tmpdir(), 'openprem-shared-'));
    database = await createTestDatabase(scratch);
    cluster = await startCluster(suite, 3, {
      ...database.env,
      WA_SETTINGS_REFRESH_MS: String(REFRESH_MS),
      WA_TOKEN_CACHE_MS: String(TOKEN_CACHE_MS),
      WA_SANDBOX_DELAYS: 'sent:0,delivered:0,read:0',
    });
    urls = cluster.nodes.map((node) => node.url);
  });
  after(async () => {
    await database?.drop();
    await rm(scratch, { recursive: true, force: true });
  });

  it('accepts a token issued by node 1 on nodes 2 and 3, and refuses it everywhere after a logout through node 1', async () => {
    const token = await login(urls[0]!);
    for (const url of urls) assert.equal((await call(url, 'GET', '/v1/stats/app', token)).status, 200, url);
    assert.equal((await call(urls[0]!, 'POST', '/v1/users/logout', token)).status, 200);
    const loggedOutAt = performance.now();
    for (const url of urls.slice(1)) {
      await eventually(
        async () => ((await call(url, 'GET', '/v1/stats/app', token)).status === 401 ? true : undefined),
        TOKEN_CACHE_MS + SLACK_MS,
      );
    }
    assert.ok(performance.now() - loggedOutAt < TOKEN_CACHE_MS + SLACK_MS);
  });

  it('applies a settings change made through node 1 on nodes 2 and 3 within the refresh interval', async () => {
    const token = await login(urls[0]!);
    const send = (url: string) =>
      call(url, 'POST', '/v1/messages', token, { to: KERRY, type: 'text', text: { body: 'Your order shipped' } });
    // Kerry writes first (the 24-hour window), then changes identity: with show_security_notifications on (the
    // default) every node refuses sends to Kerry with 400 / 1028 once it has re-read the identities.
    assert.equal(
      (await call(urls[0]!, 'POST', '/sandbox/inbound', token, { from: KERRY, type: 'text', text: { body: 'hi' } }))
        .status,
      201,
    );
    const change = { from: KERRY, type: 'system', system: { type: 'customer_identity_changed', identity: HASH } };
    assert.equal((await call(urls[0]!, 'POST', '/sandbox/inbound', token, change)).status, 201);
    for (const url of urls) {
      await eventually(async () => {
        const answer = await send(url);
        return answer.status === 400 && answer.body.errors[0].code === 1028 ? true : undefined;
      }, REFRESH_MS + SLACK_MS);
    }

    // The switch is read from each node's in-memory settings: nodes 2 and 3 accept only once they re-read the row.
    assert.equal(
      (await call(urls[0]!, 'PATCH', '/v1/settings/application', token, { show_security_notifications: false })).status,
      200,
    );
    const changedAt = performance.now();
    assert.equal((await send(urls[0]!)).status, 201, 'the node that took the change applies it at once');
    for (const url of urls.slice(1)) {
      await eventually(async () => ((await send(url)).status === 201 ? true : undefined), REFRESH_MS + SLACK_MS);
    }
    assert.ok(
      performance.now() - changedAt < REFRESH_MS + SLACK_MS,
      'every node applied the change within the refresh bound',
    );
  });
});
