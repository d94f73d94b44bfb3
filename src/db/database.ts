// Opens the database on either dialect and applies the migrations. One Kysely code path over both.
import { closeSync, mkdirSync, openSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import SqliteDatabase from 'better-sqlite3';
import { LRUCache } from 'lru-cache';
import { BACKSTOP_AUTOCHECKPOINT_PAGES, startCheckpointer } from './sqlite-checkpointer.js';
import { createWalSync } from './wal-sync.js';
import { SqliteDialectWithMigrationLock } from './sqlite-migration-lock.js';
import { Kysely, Migrator, PostgresDialect, type LogEvent } from 'kysely';
import pg from 'pg';
import type { DatabaseConfig, PostgresConfig } from '../config.js';
import type { Dialect } from './dialect.js';
import { explainConnectError } from './connect-errors.js';
import { createMigrationProvider } from './migrations/index.js';
import { guardPool, type BreakerEvents, type BreakerState } from './pg-breaker.js';
import type { Database } from './schema.js';

export type Db = Kysely<Database>;

export type QueryObserver = (event: { durationMs: number; failed: boolean }) => void;

export interface DatabaseHandle {
  readonly db: Db;
  readonly dialect: Dialect;
  /** A label for stats and support output: SQLITE or PGSQL, as On-Prem named its engines. */
  readonly engineName: 'SQLITE' | 'PGSQL';
  /** 'open' while PostgreSQL is unreachable and requests are refused at once; always 'closed' on SQLite. */
  readonly availability: () => BreakerState;
  migrate(): Promise<void>;
  /**
   * Resolves once every transaction committed before the call survives a power cut; call it before acknowledging
   * a write. On PostgreSQL a commit is already durable when it returns.
   */
  durable(): Promise<void>;
  close(): Promise<void>;
}

const INT8_OID = 20;

export function openDatabase(config: DatabaseConfig, observe?: QueryObserver, breaker?: BreakerEvents): DatabaseHandle {
  const log = observe
    ? (event: LogEvent) => observe({ durationMs: event.queryDurationMillis, failed: event.level === 'error' })
    : undefined;
  const postgres = config.dialect === 'postgres' ? openPostgres(config, breaker) : null;
  const walSync = config.dialect === 'sqlite' ? createWalSync(config.file) : null;
  const dialect = config.dialect === 'sqlite' ? openSqlite(config.file, walSync!.noteWrite) : postgres!.dialect;
  const db = new Kysely<Database>({ dialect, ...(log ? { log } : {}) });
  const checkpointer = config.dialect === 'sqlite' ? startCheckpointer(config.file) : null;
  return {
    db,
    dialect: config.dialect,
    engineName: config.dialect === 'sqlite' ? 'SQLITE' : 'PGSQL',
    availability: () => postgres?.pool.state ?? 'closed',
    // Migrations run on a connection of their own without the statement timeout: an index build may take longer.
    migrate: () => (config.dialect === 'postgres' ? migratePostgres(config) : migrateToLatest(db, 'sqlite')),
    durable: () => walSync?.sync() ?? Promise.resolve(),
    async close() {
      await walSync?.close();
      await checkpointer?.stop();
      await db.destroy();
    },
  };
}

function openSqlite(file: string, noteWrite: () => void): SqliteDialectWithMigrationLock {
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  // SQLite gives the -wal and -shm files it creates the database file's mode: creating that file 0600 first keeps
  // all three private whatever the process umask.
  closeSync(openSync(file, 'a', 0o600));
  const database = new SqliteDatabase(file);
  // WAL lets readers run beside the writer. synchronous=NORMAL keeps the fsync out of COMMIT (and off the event
  // loop); acknowledgements wait for durable() instead (wal-sync.ts). busy_timeout covers a CLI run beside the server.
  database.pragma('journal_mode = WAL');
  database.pragma('synchronous = NORMAL');
  database.pragma('busy_timeout = 5000');
  database.pragma('foreign_keys = ON');
  database.pragma(`wal_autocheckpoint = ${BACKSTOP_AUTOCHECKPOINT_PAGES}`);
  return new SqliteDialectWithMigrationLock({ database: withStatementCache(database, noteWrite) });
}

// Kysely prepares every query afresh: 7 % of a cached POST /v1/contacts profile was better-sqlite3's prepare().
// Statements are reusable and Kysely runs them synchronously (all/run, never a live iterator), so one prepared
// statement per distinct SQL text is kept. 500 covers every query this code base issues, with room to spare.
// Kysely runs what it prepares at once, so a statement that may commit a write is noted here for the WAL flush
// (wal-sync.ts): a write, or a COMMIT (SQLite counts transaction control as read-only).
const STATEMENT_CACHE_SIZE = 500;
const ENDS_TRANSACTION = /^\s*(commit|end|release)\b/i;

function withStatementCache(database: SqliteDatabase.Database, noteWrite: () => void): SqliteDatabase.Database {
  const statements = new LRUCache<string, { statement: SqliteDatabase.Statement; writes: boolean }>({
    max: STATEMENT_CACHE_SIZE,
  });
  const prepare = database.prepare.bind(database);
  database.prepare = ((source: string) => {
    let cached = statements.get(source);
    if (!cached) {
      const statement = prepare(source);
      cached = { statement, writes: !statement.readonly || ENDS_TRANSACTION.test(source) };
      statements.set(source, cached);
    }
    if (cached.writes) noteWrite();
    return cached.statement;
  }) as typeof database.prepare;
  return database;
}

// Keep-alive probes after 10 s of silence: a server that vanished without closing the connection (a host gone, a
// partition) is noticed on idle pooled connections in tens of seconds rather than the kernel's default two hours.
const KEEPALIVE_DELAY_MS = 10_000;

/** A connection's settings: the pool's (with the statement bounds), the migrations' and the cluster listener's (without). */
export function postgresClientConfig(
  { url, timeouts }: PostgresConfig,
  withStatementTimeout: boolean,
): pg.ClientConfig {
  const serverBounds =
    withStatementTimeout && timeouts.statementMs > 0
      ? { statement_timeout: timeouts.statementMs, idle_in_transaction_session_timeout: timeouts.statementMs }
      : {};
  return {
    connectionString: url,
    connectionTimeoutMillis: timeouts.connectMs,
    keepAlive: true,
    keepAliveInitialDelayMillis: KEEPALIVE_DELAY_MS,
    ...serverBounds,
    // BIGINT columns hold millisecond timestamps and counts, all far below 2^53: read them as numbers.
    types: {
      getTypeParser: ((oid: number, format?: string) =>
        oid === INT8_OID
          ? (value: string) => Number(value)
          : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
    },
  };
}

function openPostgres(config: PostgresConfig, events?: BreakerEvents) {
  const clientConfig = postgresClientConfig(config, true);
  const pool = new pg.Pool({ ...clientConfig, max: config.poolSize });
  // An idle client losing its server (restart, failover) must not crash the process; the next query reconnects.
  pool.on('error', () => {});
  // The probe's query is bounded on the client side too: a server that accepts but never answers keeps it open.
  const guarded = guardPool(
    pool,
    () => probePostgres({ ...clientConfig, query_timeout: config.timeouts.connectMs }),
    events,
  );
  return { pool: guarded, dialect: new PostgresDialect({ pool: guarded }) };
}

/** One connection outside the pool and a trivial query, each bounded by the connect timeout (see openPostgres). */
async function probePostgres(clientConfig: pg.ClientConfig): Promise<void> {
  const client = new pg.Client(clientConfig);
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query('SELECT 1');
  } finally {
    // A server that accepts but never answers would hold end() too: bounded like the rest, the socket dropped after.
    const ended = client.end().catch(() => {});
    await Promise.race([ended, sleep(clientConfig.connectionTimeoutMillis ?? 0, undefined, { ref: false })]);
    (client as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream?.destroy();
  }
}

async function migratePostgres(config: PostgresConfig): Promise<void> {
  const pool = new pg.Pool({ ...postgresClientConfig(config, false), max: 1 });
  pool.on('error', () => {});
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  try {
    // The first statements of a start: a missing database or an unreachable server is said in plain words here.
    await migrateToLatest(db, 'postgres');
  } catch (error) {
    throw explainConnectError(error, config);
  } finally {
    await db.destroy();
  }
}

async function migrateToLatest(db: Db, dialect: Dialect): Promise<void> {
  // Kysely's migrator takes a lock table row, so several nodes starting together apply each migration once.
  const migrator = new Migrator({
    db,
    provider: createMigrationProvider(dialect),
    migrationTableName: 'openprem_migrations',
    migrationLockTableName: 'openprem_migrations_lock',
  });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error) {
    throw new Error(
      `database migration ${failed?.migrationName ?? ''} failed: ${(error as Error).message ?? String(error)}`,
      { cause: error },
    );
  }
}

/** Where the data lives, for the start-up line: the SQLite file, or the PostgreSQL URL without its password. */
export function databaseLocation(config: DatabaseConfig): string {
  if (config.dialect === 'sqlite') return config.file;
  try {
    const url = new URL(config.url);
    url.password = '';
    return url.toString();
  } catch {
    return 'postgres (URL not shown)';
  }
}
