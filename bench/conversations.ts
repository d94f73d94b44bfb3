// The console's conversation list and conversation pages (src/services/messages/conversations.ts) on a large
// messages table, on both dialects.
//
//   npx tsx bench/conversations.ts                         PostgreSQL (OPENPREM_TEST_PG_URL or the local server), then SQLite
//   BENCH_MESSAGES=200000 BENCH_SHAPES=bench,many npx tsx bench/conversations.ts
//
// Seeds BENCH_MESSAGES messages (default 1,000,000) in each shape, then times (median of 9 after one cold read),
// prints the tables and writes them to bench/results/conversations-latest.md:
// the first page of 50 conversations cold (counts not yet remembered) and warm, the 5th page, and the newest and
// 10th pages of 100 messages of the busiest conversation. Shapes:
//   bench  one customer wrote once, the business answered with everything else (bench/run.mjs's send scenario);
//   many   100,000 customers, 10 messages each, interleaved in time;
//   few    1,000 customers, 1,000 messages each, interleaved;
//   mixed  100,000 customers with one old message each, then one customer with all the recent ones.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import type { Dialect } from '../src/db/dialect.js';
import { createMigrationProvider } from '../src/db/migrations/index.js';
import { createConversationListRepository } from '../src/db/repositories/conversation-list.js';
import { createMessagesRepository, type MessageRow } from '../src/db/repositories/messages.js';
import type { Database } from '../src/db/schema.js';
import { createConversations } from '../src/services/messages/conversations.js';
import { createThrowawayDatabase } from './support/throwaway-postgres.js';

const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 1_000_000);
const SHAPES = (process.env.BENCH_SHAPES ?? 'bench,many,few,mixed').split(',');
const PG_URL = process.env.OPENPREM_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const RUNS = 9;
const NOW = 1_800_000_000_000;
const BUSY = '16315551000';

function customerOf(shape: string, i: number): { waId: string; direction: 'in' | 'out' } {
  const numbered = (n: number) => String(16310000000 + n);
  switch (shape) {
    case 'bench':
      return { waId: BUSY, direction: i === 0 ? 'in' : 'out' };
    case 'many':
      return { waId: numbered((i * 7919) % 100_000), direction: i % 3 === 0 ? 'in' : 'out' };
    case 'few':
      return { waId: numbered((i * 7919) % 1000), direction: i % 3 === 0 ? 'in' : 'out' };
    default:
      return i < 100_000 ? { waId: numbered(i), direction: 'in' } : { waId: BUSY, direction: 'out' };
  }
}

async function seed(db: Kysely<Database>, shape: string): Promise<void> {
  const content = JSON.stringify({
    message: { type: 'text', text: { body: 'Your order has shipped. Track it at https://example.com/track/123456' } },
    template: null,
  });
  for (let start = 0; start < MESSAGES; start += 2000) {
    const rows: MessageRow[] = [];
    for (let i = start; i < Math.min(MESSAGES, start + 2000); i++) {
      const { waId, direction } = customerOf(shape, i);
      const at = NOW - MESSAGES + i;
      rows.push({
        id: `wamid.${randomBytes(30).toString('base64url')}`,
        direction,
        wa_id: waId,
        type: 'text',
        content,
        status: direction === 'in' ? 'received' : 'read',
        context_id: null,
        error_code: null,
        category: 'service',
        conversation_id: null,
        created_at: at,
        sent_at: at,
        delivered_at: at,
        read_at: at,
        updated_at: at,
      });
    }
    await db.insertInto('messages').values(rows).execute();
  }
}

function median(values: number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
}

async function timed<T>(run: () => Promise<T>): Promise<{ first: number; median: number; result: T }> {
  let started = performance.now();
  let result = await run();
  const first = performance.now() - started;
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    started = performance.now();
    result = await run();
    times.push(performance.now() - started);
  }
  return { first, median: median(times), result };
}

async function measure(dialect: Dialect, db: Kysely<Database>, shape: string): Promise<string> {
  const conversations = createConversations({
    messages: createMessagesRepository(db, dialect),
    repository: createConversationListRepository(db, dialect),
    clock: { now: () => NOW + 60_000 },
  });
  const page1 = await timed(() => conversations.list(null, 50));
  let cursor = page1.result.next;
  for (let i = 2; i < 5 && cursor; i++) cursor = (await conversations.list(cursor, 50)).next;
  const page5 = cursor ? (await timed(() => conversations.list(cursor, 50))).median : NaN;
  const busiest = page1.result.conversations[0]!.waId;
  const newest = await timed(() => conversations.messages(busiest, null, 100));
  let before = newest.result.next;
  for (let i = 2; i < 10 && before; i++) before = (await conversations.messages(busiest, before, 100)).next;
  const tenth = before ? (await timed(() => conversations.messages(busiest, before, 100))).median : NaN;
  const ms = (n: number) => (Number.isNaN(n) ? '–' : n.toFixed(1));
  return `| ${shape} | ${ms(page1.first)} | ${ms(page1.median)} | ${ms(page5)} | ${ms(newest.median)} | ${ms(tenth)} |`;
}

const report: string[] = [];
function print(text: string): void {
  console.log(text);
  report.push(text);
}

async function run(
  dialect: Dialect,
  open: () => Promise<{ db: Kysely<Database>; close(): Promise<void> }>,
): Promise<void> {
  print(
    `\n## ${dialect === 'postgres' ? 'PostgreSQL' : 'SQLite'}: ${MESSAGES.toLocaleString('en')} messages, times in ms`,
  );
  print(
    '\n| shape | list, cold | list | 5th page | messages, newest 100 | messages, 10th page |\n|---|---:|---:|---:|---:|---:|',
  );
  for (const shape of SHAPES) {
    const { db, close } = await open();
    try {
      const migrator = new Migrator({
        db,
        provider: createMigrationProvider(dialect),
        migrationTableName: 'openprem_migrations',
        migrationLockTableName: 'openprem_migrations_lock',
      });
      const migrated = await migrator.migrateToLatest();
      if (migrated.error) throw migrated.error;
      await seed(db, shape);
      await sql.raw(dialect === 'postgres' ? 'vacuum analyze messages' : 'analyze').execute(db);
      print(await measure(dialect, db, shape));
    } finally {
      await close();
    }
  }
}

async function openPostgres() {
  const database = await createThrowawayDatabase(PG_URL);
  const pool = new pg.Pool({ connectionString: database.url, max: 4 });
  pool.on('error', () => {});
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    async close() {
      await db.destroy();
      await database.drop();
    },
  };
}

async function openSqlite() {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'openprem-bench-'));
  const file = new SqliteDatabase(path.join(dir, 'bench.sqlite'));
  file.pragma('journal_mode = WAL');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: file }) });
  return {
    db,
    async close() {
      await db.destroy();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

const loadBefore = os.loadavg()[0]!.toFixed(2);
await run('postgres', openPostgres);
await run('sqlite', openSqlite);
const header =
  `# Conversations: bench/conversations.ts\n\n${new Date().toISOString()}; Node ${process.version}, ${os.cpus().length} CPUs; ` +
  `1-minute load average ${loadBefore} before, ${os.loadavg()[0]!.toFixed(2)} after.\n`;
await writeFile(new URL('results/conversations-latest.md', import.meta.url), `${header}${report.join('\n')}\n`);
