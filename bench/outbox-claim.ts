// The webhook claim on a large backlog, with and without the per-message ordering rule (webhook-outbox.ts).
//
//   npx tsx bench/outbox-claim.ts            PostgreSQL (OPENPREM_TEST_PG_URL or postgres://postgres@127.0.0.1:5432/postgres) and SQLite
//   BENCH_ROWS=200000 npx tsx bench/outbox-claim.ts
//
// Seeds BENCH_ROWS pending, due callbacks (default 100,000): two statuses (delivered, read) per message, due
// together, as a burst of sends leaves them. Then, for three states of the backlog, times 30 claims of 24 rows (the
// dispatcher's batch at 6 slots; each claim's lease is undone before the next) with the query on main ("before":
// no ordering) and the repository's ("after"), and prints PostgreSQL's EXPLAIN ANALYZE of each (the claims' leases
// are undone by UPDATEs, so the table carries the dead tuples a busy outbox has):
//   fresh     nothing leased;
//   draining  the 48 oldest heads leased by two other nodes (what a claim meets while others deliver);
//   stuck     10,000 heads leased, so 10,000 successors are held back and must be stepped over.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, sql, type CompiledQuery } from 'kysely';
import pg from 'pg';
import { createMigrationProvider } from '../src/db/migrations/index.js';
import { Migrator } from 'kysely';
import type { Database } from '../src/db/schema.js';
import type { Dialect } from '../src/db/dialect.js';
import { createWebhookOutboxRepository } from '../src/db/repositories/webhook-outbox.js';
import { createThrowawayDatabase } from './support/throwaway-postgres.js';

const ROWS = Number(process.env.BENCH_ROWS ?? 100_000);
const PG_URL = process.env.OPENPREM_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const LIMIT = 24;
const LEASE_MS = 30_000;
const RUNS = 30;
const NOW = 1_800_000_000_000;

// The claim as it stands on main (before this branch): due and unleased rows in next_attempt_at order.
function claimBefore(dialect: Dialect): string {
  const lock = dialect === 'postgres' ? ' for update skip locked' : '';
  return `update webhook_outbox set claimed_until = ${NOW + LEASE_MS} where id in (select id from webhook_outbox where state = 'pending'
    and next_attempt_at <= ${NOW} and (claimed_until is null or claimed_until < ${NOW}) order by next_attempt_at limit ${LIMIT}${lock})
    returning id, delivery_id, payload, attempts, created_at`;
}

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
  const BATCH = 1000;
  for (let start = 0; start < ROWS / 2; start += BATCH) {
    const rows = [];
    for (let i = start; i < Math.min(ROWS / 2, start + BATCH); i++) {
      for (const status of ['delivered', 'read']) {
        rows.push({
          delivery_id: `${i}-${status}`,
          kind: 'status' as const,
          payload,
          state: 'pending' as const,
          attempts: 0,
          next_attempt_at: NOW - ROWS + i,
          created_at: NOW - ROWS + i,
          ordering_key: `wamid.${i}`,
        });
      }
    }
    await db.insertInto('webhook_outbox').values(rows).execute();
  }
}

/** Leases the heads of the `count` oldest messages to another node. */
async function leaseHeads(db: Kysely<Database>, count: number): Promise<void> {
  await db.updateTable('webhook_outbox').set({ claimed_until: null }).execute();
  if (count > 0) {
    await db
      .updateTable('webhook_outbox')
      .set({ claimed_until: NOW + LEASE_MS })
      .where(
        'delivery_id',
        'in',
        Array.from({ length: count }, (_, i) => `${i}-delivered`),
      )
      .execute();
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function run(dialect: Dialect, db: Kysely<Database>, captured: { query?: CompiledQuery }): Promise<void> {
  await new Migrator({
    db,
    provider: createMigrationProvider(dialect),
    migrationTableName: 'openprem_migrations',
    migrationLockTableName: 'openprem_migrations_lock',
  }).migrateToLatest();
  await seed(db);
  await sql.raw(dialect === 'postgres' ? 'analyze webhook_outbox' : 'analyze').execute(db);
  const outbox = createWebhookOutboxRepository(db, dialect);
  console.log(
    `\n## ${dialect === 'postgres' ? 'PostgreSQL' : 'SQLite'}: ${ROWS.toLocaleString('en')} pending callbacks, claims of ${LIMIT}`,
  );
  console.log(
    '\n| backlog | before: median ms | after: median ms | rows before | rows after |\n|---|---:|---:|---:|---:|',
  );
  const plans: string[] = [];
  for (const [name, leased] of [
    ['fresh', 0],
    ['draining', 48],
    ['stuck', 10_000],
  ] as const) {
    await leaseHeads(db, leased);
    const undo = () =>
      db
        .updateTable('webhook_outbox')
        .set({ claimed_until: null })
        .where('claimed_until', '=', NOW + LEASE_MS)
        .where(
          'delivery_id',
          'not in',
          Array.from({ length: Math.max(1, leased) }, (_, i) => `${i}-delivered`),
        )
        .execute();
    const times = { before: [] as number[], after: [] as number[] };
    const counts = { before: 0, after: 0 };
    let afterQuery: CompiledQuery | undefined;
    for (let i = 0; i < RUNS; i++) {
      let started = performance.now();
      counts.before = (await sql.raw<{ id: number }>(claimBefore(dialect)).execute(db)).rows.length;
      times.before.push(performance.now() - started);
      await undo();
      started = performance.now();
      captured.query = undefined;
      counts.after = (await outbox.claimDue(NOW, LIMIT, LEASE_MS)).length;
      times.after.push(performance.now() - started);
      afterQuery ??= captured.query;
      await undo();
    }
    console.log(
      `| ${name} (${leased} heads leased) | ${median(times.before).toFixed(2)} | ${median(times.after).toFixed(2)} | ${counts.before} | ${counts.after} |`,
    );
    if (dialect === 'sqlite' && afterQuery && name === 'draining') {
      const plan = await db.executeQuery<{ detail: string }>({
        ...afterQuery,
        sql: `explain query plan ${afterQuery.sql}`,
      });
      plans.push(`### SQLite plan, after\n\n\`\`\`\n${plan.rows.map((r) => r.detail).join('\n')}\n\`\`\``);
    }
    if (dialect === 'postgres' && afterQuery) {
      for (const [label, text, parameters] of [
        ['before', claimBefore(dialect), []],
        ['after', afterQuery.sql, afterQuery.parameters],
      ] as const) {
        const plan = await db.executeQuery<{ 'QUERY PLAN': string }>({
          sql: `explain (analyze, buffers) ${text}`,
          parameters: [...parameters],
          query: afterQuery.query,
          queryId: afterQuery.queryId,
        });
        plans.push(`### ${name}, ${label}\n\n\`\`\`\n${plan.rows.map((r) => r['QUERY PLAN']).join('\n')}\n\`\`\``);
        await undo();
      }
    }
  }
  if (plans.length > 0) console.log(`\n${plans.join('\n\n')}`);
}

async function onPostgres(): Promise<void> {
  const database = await createThrowawayDatabase(PG_URL);
  const pool = new pg.Pool({
    connectionString: database.url,
    max: 1,
    types: {
      getTypeParser: ((oid: number, format?: string) =>
        oid === 20 ? Number : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
    },
  });
  const captured: { query?: CompiledQuery } = {};
  const db = new Kysely<Database>({
    dialect: new PostgresDialect({ pool }),
    log: (event) => {
      if (event.query.sql.includes('skip locked') && event.query.sql.includes('"earlier"'))
        captured.query = event.query;
    },
  });
  try {
    await run('postgres', db, captured);
  } finally {
    await db.destroy();
    await database.drop();
  }
}

async function onSqlite(): Promise<void> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'openprem-bench-claim-'));
  const database = new SqliteDatabase(path.join(dir, 'bench.db'));
  database.pragma('journal_mode = WAL');
  database.pragma('synchronous = NORMAL');
  const captured: { query?: CompiledQuery } = {};
  const db = new Kysely<Database>({
    dialect: new SqliteDialect({ database }),
    log: (event) => {
      if (event.query.sql.includes('"earlier"') && event.query.sql.startsWith('update')) captured.query = event.query;
    },
  });
  try {
    await run('sqlite', db, captured);
  } finally {
    await db.destroy();
    await rm(dir, { recursive: true, force: true });
  }
}

console.log(
  `# Webhook claim with per-message ordering — ${new Date().toISOString().slice(0, 19)}Z, Node ${process.version}, ${os.cpus().length} CPUs`,
);
if (process.env.BENCH_DIALECT !== 'sqlite') await onPostgres();
if (process.env.BENCH_DIALECT !== 'postgres') await onSqlite();
