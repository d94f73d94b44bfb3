// PostgreSQL stopped and started again under a steady load on two node processes: while it is down every request
// that needs it is answered 503 / 1023 at once (no hanging, no 500, no process exit), GET / keeps answering, and
// once it is back everything resumes: sends are accepted again within seconds, and every message acknowledged
// before, during or after the outage is stored once with all its callbacks delivered.
//
// The outage is a real one on a throwaway cluster of the test's own (test/support/own-postgres.ts): the machine's
// PostgreSQL is shared with other test runs and is never stopped.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import {
  ALL_STATUS_CALLBACKS,
  call,
  login,
  missingStatuses,
  startCluster,
  storedMessages,
  untilEveryNodeHas,
  type Answer,
  type Cluster,
} from '../support/cluster.js';
import { TEST_DIALECT } from '../support/database.js';
import { eventually, suiteScope } from '../support/harness.js';
import { ownPostgresUnavailable, startOwnPostgres, type OwnPostgres } from '../support/own-postgres.js';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.js';

const SKIP =
  TEST_DIALECT !== 'postgres'
    ? 'a database outage exists only with PostgreSQL (SQLite is a file of the process)'
    : (ownPostgresUnavailable() ?? false);
const CUSTOMER = '16315554242';
const API_KEY = 'outage-metrics-key-1';
const TICK_MS = 100;
const OUTAGE_FROM_MS = 1500;
const OUTAGE_MS = 3500;
// The load goes on this long after the server is back (beyond RECOVERY_MS), so that recovery is observed.
const LOAD_AFTER_RECOVERY_MS = 2000;
// WA_DB_CONNECT_TIMEOUT_MS for the nodes; an answer during the outage may take at most that (the first requests
// to meet a server that vanished mid-query), the rest are refused by the breaker without waiting.
const CONNECT_TIMEOUT_MS = 1000;
const FAST_MS = 2000;
// The breaker probes once a second (PROBE_INTERVAL_MS); allow a busy machine three probes to see the server back.
const RECOVERY_MS = 3000;

interface Sent extends Answer {
  startedAt: number;
}

describe('PostgreSQL stopped and started under load', { skip: SKIP }, () => {
  let server: OwnPostgres;
  let receiver: WebhookReceiver;
  let cluster: Cluster;
  let url: string;

  // First of the suite's after hooks: the nodes die before what they use goes.
  const suite = suiteScope();
  before(async () => {
    server = await startOwnPostgres();
    const admin = new pg.Client({ connectionString: server.adminUrl });
    await admin.connect();
    await admin.query('CREATE DATABASE openprem');
    await admin.end();
    url = server.urlOf('openprem');
    receiver = await startWebhookReceiver();
    cluster = await startCluster(suite, 2, {
      WA_DB_URL: url,
      WA_DB_POOL_SIZE: '4',
      WA_DB_CONNECT_TIMEOUT_MS: String(CONNECT_TIMEOUT_MS),
      WA_SANDBOX_DELAYS: 'sent:0,delivered:50,read:100',
      WA_SETTINGS_REFRESH_MS: '200',
      WA_TOKEN_CACHE_MS: '500',
      WA_API_KEY: API_KEY,
    });
  });
  after(async () => {
    await receiver?.close();
    await server?.destroy();
  });

  it('answers 503 / 1023 at once while it is down, stays up, and loses nothing acknowledged', async (t) => {
    const urls = cluster.nodes.map((node) => node.url);
    const token = await login(urls[0]!);
    assert.equal(
      (await call(urls[0]!, 'PATCH', '/v1/settings/application', token, ALL_STATUS_CALLBACKS(receiver.url))).status,
      200,
    );
    assert.equal(
      (await call(urls[0]!, 'POST', '/sandbox/inbound', token, { from: CUSTOMER, type: 'text', text: { body: 'hi' } }))
        .status,
      201,
    );
    await untilEveryNodeHas(urls, token, (settings) => settings.webhooks.url === receiver.url);

    const answers: Sent[] = [];
    const load: Promise<void>[] = [];
    const started = performance.now();
    let stoppedAt = Infinity;
    let restartedAt = Infinity;
    let outage: Promise<void> | null = null;
    const rootDuringOutage: number[] = [];
    const unreachableDuringOutage: (string | undefined)[] = [];
    // The metrics need no database with an API key: each node reports the outage it is answering 503 for.
    const unreachableGauge = async (base: string) => {
      const text = await (
        await fetch(`${base}/v1/metrics?format=prometheus`, { headers: { authorization: `Apikey ${API_KEY}` } })
      ).text();
      return /^openprem_db_unreachable(?:\{[^}]*\})? (\d)/m.exec(text)?.[1];
    };
    const loadEndsAt = () => restartedAt + RECOVERY_MS + LOAD_AFTER_RECOVERY_MS;
    for (let tick = 0; performance.now() < loadEndsAt(); tick++) {
      urls.forEach((base, n) => {
        const startedAt = performance.now();
        const body = { to: CUSTOMER, text: { body: `message ${tick * urls.length + n}` } };
        load.push(
          call(base, 'POST', '/v1/messages', token, body).then((answer) => void answers.push({ ...answer, startedAt })),
        );
      });
      if (!outage && performance.now() - started >= OUTAGE_FROM_MS) {
        outage = (async () => {
          await server.stop();
          stoppedAt = performance.now();
          // The outage lasts OUTAGE_MS whatever the nodes do: time passing is what is tested (sleeps on purpose).
          await new Promise((resolve) => setTimeout(resolve, OUTAGE_MS / 2));
          for (const base of urls) rootDuringOutage.push((await call(base, 'GET', '/', token)).status);
          for (const base of urls) unreachableDuringOutage.push(await unreachableGauge(base));
          await new Promise((resolve) => setTimeout(resolve, OUTAGE_MS / 2));
          await server.start();
          restartedAt = performance.now();
        })();
      }
      // Paces the load: one round of sends per tick (a sleep on purpose).
      await new Promise((resolve) => setTimeout(resolve, TICK_MS));
    }
    await Promise.all(load);
    await outage;

    for (const node of cluster.nodes) assert.equal(node.child.exitCode, null, 'the node process stayed up');
    assert.deepEqual(rootDuringOutage, [200, 200], 'GET / answers while the database is down');
    assert.deepEqual(
      unreachableDuringOutage,
      ['1', '1'],
      'openprem_db_unreachable is 1 on both nodes during the outage',
    );
    assert.deepEqual(await Promise.all(urls.map(unreachableGauge)), ['0', '0'], 'and 0 once they serve again');
    const unexpected = answers.filter(
      (a) => a.status !== 201 && !(a.status === 503 && a.body.errors?.[0]?.code === 1023),
    );
    assert.deepEqual(
      unexpected.map((a) => [a.status, a.body]),
      [],
      'every answer is 201 or 503 / 1023',
    );
    const during = answers.filter((a) => a.startedAt > stoppedAt && a.startedAt < restartedAt);
    const refused = during.filter((a) => a.status === 503);
    assert.ok(
      refused.length >= during.length / 2,
      `${refused.length} of ${during.length} sends during the outage were refused`,
    );
    const slowest = Math.max(...answers.map((a) => a.ms));
    assert.ok(slowest < FAST_MS, `the slowest answer took ${Math.round(slowest)} ms`);
    const afterRecovery = answers.filter((a) => a.startedAt > restartedAt + RECOVERY_MS);
    assert.ok(afterRecovery.length > 0, 'the load went on after the recovery');
    assert.deepEqual(
      afterRecovery.filter((a) => a.status !== 201).map((a) => a.status),
      [],
      'every send is accepted again after the recovery',
    );

    const acknowledged = answers.filter((a) => a.status === 201).map((a) => a.body.messages[0].id as string);
    assert.equal(new Set(acknowledged).size, acknowledged.length);
    assert.equal(await storedMessages(url, acknowledged), acknowledged.length, 'every acknowledged message is stored');
    // Callbacks a node had claimed when the database went away are retried when their lease (30 s) runs out.
    await eventually(
      async () => (missingStatuses(receiver.received, acknowledged).length === 0 ? true : undefined),
      60_000,
    );
    const fastest503 = Math.min(...refused.map((a) => a.ms));
    t.diagnostic(
      `${answers.length} sends: ${acknowledged.length} acknowledged, ${refused.length} refused during the ${Math.round(restartedAt - stoppedAt)} ms outage ` +
        `(fastest ${Math.round(fastest503)} ms, slowest answer ${Math.round(slowest)} ms)`,
    );
  });
});
