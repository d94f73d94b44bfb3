// The PostgreSQL circuit breaker (src/db/pg-breaker.ts) against a real server behind a loopback TCP proxy that
// turns into the failures a network produces: a server that stops answering costs one request the connect
// timeout, the next ones are refused at once, and a probe closes the breaker within about a second of the server
// answering again. A connection cut under a running query, or while idle in the pool, fails that query only and
// does not end the process. And a statement past WA_DB_STATEMENT_TIMEOUT_MS is cancelled as a retryable failure.
import os from 'node:os';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { openDatabase, type DatabaseHandle } from '../../src/db/database.js';
import { classifyDatabaseError } from '../../src/lib/database-errors.js';
import { PROBE_INTERVAL_MS } from '../../src/db/pg-breaker.js';
import { queryDatabase } from '../support/cluster.js';
import { createTestDatabase, TEST_DIALECT, TEST_PG_URL, type TestDatabase } from '../support/database.js';
import { eventually } from '../support/harness.js';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.js';

const SKIP = TEST_DIALECT !== 'postgres' && 'the breaker guards PostgreSQL connections; SQLite has none';
const CONNECT_TIMEOUT_MS = 300;
// What "at once" means on this busy machine: far below the connect timeout.
const AT_ONCE_MS = 50;

async function timed(work: Promise<unknown>): Promise<{ ms: number; error: unknown }> {
  const started = performance.now();
  try {
    await work;
    return { ms: performance.now() - started, error: null };
  } catch (error) {
    return { ms: performance.now() - started, error };
  }
}

describe('the PostgreSQL circuit breaker', { skip: SKIP }, () => {
  let database: TestDatabase;
  let proxy: TcpProxy;
  let handle: DatabaseHandle;
  const select = (query = sql`SELECT 1`) => timed(query.execute(handle.db));
  /** Waits until the server runs `statement` on `count` connections of the test database. */
  const untilRunning = (statement: string, count: number) =>
    eventually(async () => {
      const databaseName = new URL(database.env.WA_DB_URL!).pathname.slice(1);
      const rows = await queryDatabase<{ n: string }>(
        TEST_PG_URL,
        "SELECT count(*) AS n FROM pg_stat_activity WHERE datname = $1 AND state = 'active' AND query = $2",
        [databaseName, statement],
      );
      return Number(rows[0]!.n) >= count ? true : undefined;
    });

  before(async () => {
    database = await createTestDatabase(os.tmpdir());
    const target = new URL(database.env.WA_DB_URL!);
    proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
    target.host = `127.0.0.1:${proxy.port}`;
    handle = openDatabase({
      dialect: 'postgres',
      url: target.toString(),
      poolSize: 2,
      timeouts: { connectMs: CONNECT_TIMEOUT_MS, statementMs: 0 },
      source: 'WA_DB_URL',
    });
  });
  after(async () => {
    await handle?.close();
    await proxy?.close();
    await database?.drop();
  });

  it('waits the connect timeout once, then refuses at once until a probe connects again', async () => {
    assert.equal((await select()).error, null);
    proxy.mode = 'blackhole';
    proxy.cut();
    // The pool drops its idle client when the close arrives; the next query then needs a new connection. A sleep:
    // the pool's idle count is not visible through the DatabaseHandle (src/db/database.ts).
    await new Promise((resolve) => setTimeout(resolve, 50));

    const first = await select();
    assert.equal(classifyDatabaseError(first.error), 'unavailable', String(first.error));
    assert.ok(
      first.ms >= CONNECT_TIMEOUT_MS * 0.9 && first.ms < CONNECT_TIMEOUT_MS + 1000,
      `first failure after ${first.ms} ms`,
    );
    assert.equal(handle.availability(), 'open');
    for (let i = 0; i < 20; i++) {
      const next = await select();
      assert.equal((next.error as Error).name, 'DatabaseUnavailableError');
      assert.equal(classifyDatabaseError(next.error), 'unavailable');
      assert.ok(next.ms < AT_ONCE_MS, `refused after ${next.ms} ms`);
    }

    proxy.mode = 'pass';
    const back = performance.now();
    await eventually(
      async () => ((await select()).error === null ? true : undefined),
      3 * PROBE_INTERVAL_MS + CONNECT_TIMEOUT_MS,
    );
    assert.ok(performance.now() - back < 2 * PROBE_INTERVAL_MS + CONNECT_TIMEOUT_MS, 'closed by the next probes');
    assert.equal(handle.availability(), 'closed');
  });

  it('fails a query whose connection is cut with "unavailable", and the process lives on', async () => {
    assert.equal((await select()).error, null, 'an idle client is left in the pool');
    const running = select(sql`SELECT pg_sleep(5)`);
    await untilRunning('SELECT pg_sleep(5)', 1);
    // Cuts the running query's connection and the idle one: pg emits 'error' on both clients.
    proxy.cut();
    const cut = await running;
    assert.equal(classifyDatabaseError(cut.error), 'unavailable', String(cut.error));
    assert.ok(cut.ms < 1000);
    // A lost connection alone is not an outage: the next query opens a new one at once.
    assert.equal(handle.availability(), 'closed');
    assert.equal((await select()).error, null);
  });

  it('does not count a full pool as an outage', async () => {
    const holders = [select(sql`SELECT pg_sleep(1)`), select(sql`SELECT pg_sleep(1)`)];
    await untilRunning('SELECT pg_sleep(1)', 2);
    const waited = await select();
    assert.match(String(waited.error), /timeout exceeded when trying to connect/);
    assert.equal(classifyDatabaseError(waited.error), 'unavailable', 'answered 503 / 1023 all the same');
    assert.equal(handle.availability(), 'closed');
    await Promise.all(holders);
    assert.equal((await select()).error, null);
  });
});

describe('the PostgreSQL statement timeout', { skip: SKIP }, () => {
  let database: TestDatabase;
  let handle: DatabaseHandle;

  before(async () => {
    database = await createTestDatabase(os.tmpdir());
    handle = openDatabase({
      dialect: 'postgres',
      url: database.env.WA_DB_URL!,
      poolSize: 1,
      timeouts: { connectMs: 2000, statementMs: 200 },
      source: 'WA_DB_URL',
    });
  });
  after(async () => {
    await handle?.close();
    await database?.drop();
  });

  it('cancels a statement past WA_DB_STATEMENT_TIMEOUT_MS as a retryable failure, and the connection serves on', async () => {
    const stuck = await timed(sql`SELECT pg_sleep(2)`.execute(handle.db));
    assert.equal((stuck.error as { code?: string }).code, '57014');
    assert.equal(classifyDatabaseError(stuck.error), 'unavailable', 'answered 503 / 1023 with Retry-After');
    assert.ok(stuck.ms < 1500, `cancelled after ${stuck.ms} ms`);
    assert.equal(handle.availability(), 'closed');
    assert.equal((await timed(sql`SELECT 1`.execute(handle.db))).error, null);
  });
});
