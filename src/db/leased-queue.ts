// The work tables (the webhook outbox, Meta's webhooks, contact look-ups) are queues of rows claimed under a lease,
// graphile-worker's shape: a claim takes the pending rows that are due and that no live lease holds, oldest due
// first, and stamps them with the lease's end; the work ends with the row settled (done, failed, or due again later)
// and the lease cleared. A node that dies holding rows loses them when the lease runs out (on SQLite at once, at
// the next start: db/leases.ts). This file is the one copy of that SQL; each repository names its table and adds
// its own columns.
import type { Expression, ExpressionBuilder, Generated, Kysely, Selectable, SqlBool, Updateable } from 'kysely';
import type { Dialect } from './dialect.js';
import type { Database } from './schema.js';

/** The leased tables and the column that says when each row is due. */
const DUE_COLUMN = {
  webhook_outbox: 'next_attempt_at',
  cloud_webhooks: 'next_attempt_at',
  contact_lookups: 'run_at',
} as const;

export type LeasedTable = keyof typeof DUE_COLUMN;
export const LEASED_TABLES = Object.keys(DUE_COLUMN) as LeasedTable[];

// What the queue reads and writes of any leased table. Kysely cannot type a query over a table that is a type
// parameter, so the queries are written against this common view (each table has both due columns in it; only the
// one DUE_COLUMN names is ever used), and the public methods are typed against the real table.
interface LeasedRow {
  id: Generated<number>;
  state: string;
  attempts: number;
  claimed_until: number | null;
  next_attempt_at: number;
  run_at: number;
}
type LeasedView = Record<LeasedTable, LeasedRow>;
type ViewCondition = (eb: ExpressionBuilder<LeasedView, LeasedTable>) => Expression<SqlBool>;

/** A table's own rule on which due rows may be claimed (the outbox's one-in-flight per ordering key). */
export type ClaimCondition<T extends LeasedTable> = (eb: ExpressionBuilder<Database, T>) => Expression<SqlBool>;

export interface ClaimRequest<T extends LeasedTable, K extends keyof Selectable<Database[T]>> {
  now: number;
  limit: number;
  leaseMs: number;
  /** The columns answered besides the id. */
  columns: readonly K[];
  /** Counts the attempt when the row is claimed; otherwise the caller counts it when it settles the row. */
  countAttempt: boolean;
  where?: ClaimCondition<T>;
}

/**
 * Clears the lease of rows whose work ended, with the caller's changes to them; in the caller's transaction when
 * the row settles together with the work's other writes.
 */
export async function settleLeasedRows<T extends LeasedTable>(
  executor: Kysely<Database>,
  table: T,
  ids: readonly number[],
  changes: Updateable<Database[T]>,
  countAttempt = false,
): Promise<void> {
  if (ids.length === 0) return;
  await (executor as unknown as Kysely<LeasedView>)
    .updateTable(table as LeasedTable)
    .set((eb) => ({
      ...(changes as Updateable<LeasedRow>),
      claimed_until: null,
      ...(countAttempt ? { attempts: eb('attempts', '+', 1) } : {}),
    }))
    .where('id', 'in', ids)
    .execute();
}

export interface SettleOptions {
  /** The caller's transaction (see settleLeasedRows). */
  executor?: Kysely<Database>;
  countAttempt?: boolean;
}

export function createLeasedQueue<T extends LeasedTable>(db: Kysely<Database>, dialect: Dialect, table: T) {
  const view = () => db as unknown as Kysely<LeasedView>;
  const dueColumn: 'next_attempt_at' | 'run_at' = DUE_COLUMN[table];

  function dueRows(now: number, where?: ClaimCondition<T>) {
    const query = view()
      .selectFrom(table as LeasedTable)
      .where('state', '=', 'pending')
      .where(dueColumn, '<=', now)
      .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<', now)]));
    return where ? query.where(where as unknown as ViewCondition) : query;
  }

  const settle = (ids: readonly number[], changes: Updateable<Database[T]>, options: SettleOptions = {}) =>
    settleLeasedRows(options.executor ?? db, table, ids, changes, options.countAttempt);

  return {
    /**
     * Leases up to `limit` due rows, oldest due first, and answers them in id order. On PostgreSQL the rows are
     * picked FOR UPDATE SKIP LOCKED, so nodes claiming side by side never wait on each other's rows.
     */
    async claim<K extends keyof Selectable<Database[T]>>(
      request: ClaimRequest<T, K>,
    ): Promise<(Pick<Selectable<Database[T]>, K> & { id: number })[]> {
      const { now, leaseMs } = request;
      let due = dueRows(now, request.where).select('id').orderBy(dueColumn).limit(request.limit);
      if (dialect === 'postgres') due = due.forUpdate().skipLocked();
      const rows = await view()
        .updateTable(table as LeasedTable)
        .set((eb) =>
          request.countAttempt
            ? { claimed_until: now + leaseMs, attempts: eb('attempts', '+', 1) }
            : { claimed_until: now + leaseMs },
        )
        .where('id', 'in', due)
        .returning(['id', ...request.columns] as unknown as (keyof LeasedRow)[])
        .execute();
      return (rows as unknown as (Pick<Selectable<Database[T]>, K> & { id: number | bigint })[])
        .map((row) => ({ ...row, id: Number(row.id) }))
        .sort((a, b) => a.id - b.id);
    },

    /** Whether a claim now would find anything. */
    async hasDue(now: number, where?: ClaimCondition<T>): Promise<boolean> {
      return (await dueRows(now, where).select('id').limit(1).executeTakeFirst()) !== undefined;
    },

    /** Ends the work on rows (see settleLeasedRows). */
    settle,

    /** Makes rows due again at `at` (a retry), with the caller's changes to them. */
    retryAt(
      ids: readonly number[],
      at: number,
      changes: Updateable<Database[T]> = {},
      options: SettleOptions = {},
    ): Promise<void> {
      return settle(ids, { ...changes, [dueColumn]: at } as Updateable<Database[T]>, options);
    },

    /** Gives claimed rows back before their lease runs out (a node shutting down cleanly). */
    async release(ids: readonly number[]): Promise<void> {
      if (ids.length === 0) return;
      await view()
        .updateTable(table as LeasedTable)
        .set({ claimed_until: null })
        .where('id', 'in', ids)
        .where('state', '=', 'pending')
        .execute();
    },

    /**
     * When the next pending row can be claimed (null when none waits): when it falls due, or when its lease ends if
     * that is later, so that a worker does not wake again and again for a row another node holds.
     */
    async nextDueAt(): Promise<number | null> {
      const row = await view()
        .selectFrom(table as LeasedTable)
        .select((eb) => {
          const claimableAt = eb
            .case()
            .when('claimed_until', '>', eb.ref(dueColumn))
            .then(eb.ref('claimed_until'))
            .else(eb.ref(dueColumn))
            .end();
          return eb.fn.min<number>(claimableAt).as('next');
        })
        .where('state', '=', 'pending')
        .executeTakeFirst();
      return row?.next == null ? null : Number(row.next);
    },

    async countPending(): Promise<number> {
      const row = await view()
        .selectFrom(table as LeasedTable)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('state', '=', 'pending')
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },
  };
}
