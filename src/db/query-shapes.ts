// The send path's hot statements, compiled once per shape and run again with new parameters. Kysely builds and
// compiles every query on every call (14 % of the send bench's CPU went to its operation-node visitors, freezing
// and value parsing), and a statement whose SQL text varies (an IN list or a multi-row VALUES of another length)
// also misses SQLite's statement cache and is prepared again. A shape is a query's SQL without its values: the same
// columns set, or a list of one of a few fixed lengths (padded, or written in fixed-size chunks). On PostgreSQL, where
// every statement is a round trip, many rows go in one statement of one shape: a column per array parameter, unnest.
import {
  type Compilable,
  type CompiledQuery,
  type Insertable,
  type Kysely,
  PostgresAdapter,
  type QueryResult,
  sql,
} from 'kysely';
import type { Database } from './schema.js';

/** List lengths a padded IN list takes: four shapes cover 1 to 512 values. */
const IN_LIST_LENGTHS = [8, 32, 128, 512];
/** Rows per multi-row INSERT: any count is written in at most 3 statements per length below. */
const CHUNK_ROWS = [256, 64, 16, 4, 1];

// Compiled SQL depends on the dialect only: one map per dialect adapter, which a Kysely instance and all its
// transactions share.
const compiledByAdapter = new WeakMap<object, Map<string, CompiledQuery>>();

/**
 * Runs the query `build` makes, compiled once for `shape` (in this dialect): later calls with the same shape only
 * swap in `parameters`, which must be the values `build` binds, in the order it binds them (null, never undefined).
 */
export async function runShaped<R>(
  db: Kysely<Database>,
  shape: string,
  parameters: readonly unknown[],
  build: () => Compilable<R>,
): Promise<QueryResult<R>> {
  const adapter = db.getExecutor().adapter;
  let compiled = compiledByAdapter.get(adapter);
  if (!compiled) {
    compiled = new Map();
    compiledByAdapter.set(adapter, compiled);
  }
  let query = compiled.get(shape) as CompiledQuery<R> | undefined;
  if (!query) {
    query = build().compile();
    // A parameter list that does not match what Kysely binds would run the statement with the wrong values.
    if (query.parameters.length !== parameters.length)
      throw new Error(`query shape ${shape}: ${parameters.length} parameters given, ${query.parameters.length} bound`);
    compiled.set(shape, query);
  }
  return db.executeQuery<R>({ ...query, parameters });
}

/** A column's SQL type, for PostgreSQL's arrays (SQLite needs none). */
export type SqlType = 'text' | 'bigint' | 'integer';

/** Whether the database is PostgreSQL (one round trip a statement) rather than SQLite (in the process). */
export const isPostgres = (db: Kysely<Database>): boolean => db.getExecutor().adapter instanceof PostgresAdapter;

/**
 * Inserts `rows`, undefined written as null, in order (ids follow it): on SQLite in fixed-size chunks, each compiled
 * once; on PostgreSQL in one statement, `insert … select * from unnest($1::text[], $2::bigint[], …)`.
 */
export async function insertShaped<T extends keyof Database & string, C extends keyof Database[T] & string>(
  db: Kysely<Database>,
  table: T,
  columns: Readonly<Record<C, SqlType>>,
  rows: readonly Pick<Database[T], C>[],
): Promise<void> {
  const names = Object.keys(columns) as C[];
  if (rows.length === 0) return;
  if (isPostgres(db)) {
    const arrays = names.map((column) => rows.map((row) => row[column] ?? null));
    await runShaped(db, `insert ${table} ${names.join()} unnest`, arrays, () =>
      fromSql(
        db,
        sql`insert into ${sql.table(table)} (${sql.join(names.map((n) => sql.ref(n)))}) select * from unnest(${sql.join(
          names.map((n, i) => sql`${arrays[i]}::${sql.raw(columns[n])}[]`),
        )})`,
      ),
    );
    return;
  }
  for (const chunk of fixedChunks(rows)) {
    const parameters: unknown[] = [];
    for (const row of chunk) for (const column of names) parameters.push(row[column] ?? null);
    await runShaped(db, `insert ${table} ${names.join()} ×${chunk.length}`, parameters, () => {
      const objects = chunk.map((row) => Object.fromEntries(names.map((c) => [c, row[c] ?? null])));
      return db.insertInto(table).values(objects as Insertable<Database[T]>[]);
    });
  }
}

/** A raw SQL statement as something runShaped can compile. */
export function fromSql<R>(db: Kysely<Database>, statement: ReturnType<typeof sql<R>>): Compilable<R> {
  return { compile: () => statement.compile(db) };
}

/**
 * The values padded to the next of a few fixed lengths by repeating the last one (a repeated value changes no IN
 * list's meaning), so that every list of up to 512 values is one of four statements. Longer lists are returned as
 * they are.
 */
export function paddedInList<T>(values: readonly T[]): T[] {
  const length = IN_LIST_LENGTHS.find((l) => l >= values.length);
  if (length === undefined || values.length === 0) return [...values];
  const padded = [...values];
  while (padded.length < length) padded.push(values[values.length - 1]!);
  return padded;
}

/** `rows` cut into chunks of fixed lengths (256, 64, 16, 4, 1), in order. */
export function fixedChunks<T>(rows: readonly T[]): T[][] {
  const chunks: T[][] = [];
  let start = 0;
  for (const size of CHUNK_ROWS) {
    while (rows.length - start >= size) {
      chunks.push(rows.slice(start, start + size));
      start += size;
    }
  }
  return chunks;
}
