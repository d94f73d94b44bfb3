// The backlog read behind openprem_webhook_queue_depth and openprem_webhook_oldest_pending_age_seconds
// (WebhookOutboxRepository.backlog), on a large outbox.
//
//   npx tsx bench/outbox-backlog.ts                      PostgreSQL (OPENPREM_TEST_PG_URL or postgres://postgres@127.0.0.1:5432/postgres) and SQLite
//   BENCH_PENDING=1000000 BENCH_DELIVERED=1000000 npx tsx bench/outbox-backlog.ts
//
// Seeds BENCH_DELIVERED delivered callbacks (default 1,000,000: the garbage collector keeps them for days) and
// BENCH_PENDING pending ones (default 100,000), then times 20 reads of the backlog with the migrations up to the
// previous one ("before") and with all of them ("after"), and prints each dialect's plan of the read, and the time
// of the delivered and failed counts of GET /x/v1/webhooks/deliveries/summary.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import type { Dialect } from '../src/db/dialect.js';
import { createMigrationProvider } from '../src/db/migrations/index.js';
import { createWebhookOutboxRepository } from '../src/db/repositories/webhook-outbox.js';
import type { Database } from '../src/db/schema.js';
import { createThrowawayDatabase } from './support/throwaway-postgres.js';

const PENDING = Number(process.env.BENCH_PENDING ?? 100_000);
const DELIVERED = Number(process.env.BENCH_DELIVERED ?? 1_000_000);
const PG_URL = process.env.OPENPREM_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const RUNS = 20;
const NOW = 1_800_000_000_000;
const BEFORE = '0013-cluster';

async function seed(db: Kysely<Database>): Promise<void> {
  const payload = JSON.stringify({
    statuses: [
      {
        id: 'gBGGEgZHMlEfAgkM1RBkhDRr7t8',
        recipient_id: '16315551000',
        status: 'delivered',
        timestamp: '1800000000',
        type: 'message',
      },
    ],
  });
  const total = DELIVERED + PENDING;
  for (let start = 0; start < total; start += 1000) {
    const rows = [];
    for (let i = start; i < Math.min(total, start + 1000); i++) {
      const delivered = i < DELIVERED;
      rows.push({
        delivery_id: `d${i}`,
        kind: 'status' as const,
        payload,
        state: delivered ? ('delivered' as const) : ('pending' as const),
        attempts: delivered ? 1 : 0,
        next_attempt_at: NOW - total + i,
        created_at: NOW - total + i,
        ordering_key: `wamid.${i}`,
        completed_at: delivered ? NOW - total + i : null,
      });
    }
    await db.insertInto('webhook_outbox').values(rows).execute();
  }
}

function median(values: number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
}

async function plan(dialect: Dialect, db: Kysely<Database>): Promise<string> {
  const query = "select count(*), min(created_at) from webhook_outbox where state = 'pending'";
  if (dialect === 'postgres') {
    const result = await sql.raw<{ 'QUERY PLAN': string }>(`explain (analyze, buffers) ${query}`).execute(db);
    return result.rows.map((r) => r['QUERY PLAN']).join('\n');
  }
  const result = await sql.raw<{ detail: string }>(`explain query plan ${query}`).execute(db);
  return result.rows.map((r) => r.detail).join('\n');
}

async function measure(dialect: Dialect, db: Kysely<Database>, label: string): Promise<void> {
  await sql.raw(dialect === 'postgres' ? 'vacuum analyze webhook_outbox' : 'analyze').execute(db);
  const outbox = createWebhookOutboxRepository(db, dialect);
  const times: number[] = [];
  let last = await outbox.backlog();
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    last = await outbox.backlog();
    times.push(performance.now() - started);
  }
  console.log(`| ${label} | ${median(times).toFixed(1)} | ${Math.max(...times).toFixed(1)} | ${last.pending} |`);
  console.log(`\n${label} plan:\n${await plan(dialect, db)}\n`);
  // The delivered and failed counts of the console's summary, read beside the backlog (src/outbox/delivery-numbers.ts).
  const ended: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    await outbox.endedCounts();
    ended.push(performance.now() - started);
  }
  console.log(
    `${label}: delivered and failed counted in ${median(ended).toFixed(1)} ms (median), ${Math.max(...ended).toFixed(1)} ms (max)\n`,
  );
}

async function run(dialect: Dialect, db: Kysely<Database>): Promise<void> {
  const migrator = new Migrator({
    db,
    provider: createMigrationProvider(dialect),
    migrationTableName: 'openprem_migrations',
    migrationLockTableName: 'openprem_migrations_lock',
  });
  const before = await migrator.migrateTo(BEFORE);
  if (before.error) throw before.error;
  await seed(db);
  console.log(
    `\n## ${dialect === 'postgres' ? 'PostgreSQL' : 'SQLite'}: ${PENDING.toLocaleString('en')} pending, ${DELIVERED.toLocaleString('en')} delivered`,
  );
  console.log('\n| migrations | median ms | max ms | pending |\n|---|---:|---:|---:|');
  await measure(dialect, db, `before (to ${BEFORE})`);
  const after = await migrator.migrateToLatest();
  if (after.error) throw after.error;
  await measure(dialect, db, 'after (latest)');
}

async function onPostgres(): Promise<void> {
  const database = await createThrowawayDatabase(PG_URL);
  const db = new Kysely<Database>({
    dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: database.url, max: 2 }) }),
  });
  try {
    await run('postgres', db);
  } finally {
    await db.destroy();
    await database.drop();
  }
}

async function onSqlite(): Promise<void> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'openprem-bench-'));
  const file = new SqliteDatabase(path.join(dir, 'bench.sqlite'));
  file.pragma('journal_mode = WAL');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: file }) });
  try {
    await run('sqlite', db);
  } finally {
    await db.destroy();
    await rm(dir, { recursive: true, force: true });
  }
}

await onPostgres();
await onSqlite();
