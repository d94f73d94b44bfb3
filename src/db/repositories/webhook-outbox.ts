// The webhook outbox and its attempt log. One SQL operation per method; batched claim and batched completion so
// that one transaction carries many deliveries (graphile-worker's shape).
import type { Kysely } from 'kysely';
import { uuidV7 } from '../../lib/time-ordered-ids.js';
import type { Db } from '../database.js';
import type { Dialect } from '../dialect.js';
import { createLeasedQueue, type ClaimCondition } from '../leased-queue.js';
import { insertShaped, type SqlType } from '../query-shapes.js';
import type { Database, WebhookOutboxTable } from '../schema.js';

export type WebhookKind = 'contacts' | 'message' | 'status' | 'error';

export interface ClaimedDelivery {
  id: number;
  deliveryId: string;
  payload: string;
  attempts: number;
  createdAt: number;
}

export interface DeliveryOutcome {
  id: number;
  attemptedAt: number;
  durationMs: number;
  statusCode: number | null;
  error: string | null;
  responseBody: string | null;
  /** delivered; pending again at `nextAttemptAt`; or failed for good. */
  next: { state: 'delivered' } | { state: 'pending'; nextAttemptAt: number } | { state: 'failed' };
}

export interface NewCallback {
  kind: WebhookKind;
  payload: unknown;
  /** Callbacks sharing a key (one message's statuses) are delivered one after the other, in the order written. */
  orderingKey?: string;
}

/** Writes one callback; takes the caller's transaction so that the callback commits with its cause. */
export async function enqueueWebhook(
  db: Kysely<Database>,
  kind: WebhookKind,
  payload: unknown,
  now: number,
): Promise<void> {
  await enqueueWebhooks(db, [{ kind, payload }], now);
}

/** Writes many callbacks in a few fixed-size statements, in the caller's transaction; ids follow the order of `callbacks`. */
export async function enqueueWebhooks(
  db: Kysely<Database>,
  callbacks: readonly NewCallback[],
  now: number,
): Promise<void> {
  if (callbacks.length === 0) return;
  await insertShaped(
    db,
    'webhook_outbox',
    OUTBOX_COLUMNS,
    callbacks.map(({ kind, payload, orderingKey }) => ({
      // Time-ordered: a batch's ids share index pages (src/lib/time-ordered-ids.ts).
      delivery_id: uuidV7(now),
      kind,
      payload: JSON.stringify(payload),
      state: 'pending' as const,
      attempts: 0,
      next_attempt_at: now,
      created_at: now,
      ordering_key: orderingKey ?? null,
    })),
  );
}

const OUTBOX_COLUMNS = {
  delivery_id: 'text',
  kind: 'text',
  payload: 'text',
  state: 'text',
  attempts: 'integer',
  next_attempt_at: 'bigint',
  created_at: 'bigint',
  ordering_key: 'text',
} as const satisfies Partial<Record<keyof WebhookOutboxTable, SqlType>>;

/** What waits in the outbox: how many deliveries, and the creation time of the oldest (null when none). */
export interface Backlog {
  pending: number;
  oldestCreatedAt: number | null;
}

/** The delivery log's four numbers, as the console shows them (src/outbox/delivery-numbers.ts reads them). */
export interface DeliverySummary {
  pending: number;
  delivered: number;
  failed: number;
  /** When the oldest pending delivery was written (ms); null when none is pending. */
  oldestPendingAt: number | null;
}

export interface DeliveryFilter {
  state?: WebhookOutboxTable['state'];
  kind?: WebhookKind;
  /** Rows with an id below this one: the cursor of the previous page. */
  before?: number;
  limit: number;
}

function groupBy<T, K>(items: readonly T[], key: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return groups;
}

export function createWebhookOutboxRepository(db: Db, dialect: Dialect) {
  const queue = createLeasedQueue(db, dialect, 'webhook_outbox');
  // Claimable: due and not leased (db/leased-queue.ts), and the head of its ordering key. A row waits while an
  // earlier row with its key is pending and due (queued, or leased to any node): so two nodes, or two slots of one
  // node, never post one message's delivered and read together, and they leave in the order they happened. An
  // earlier row waiting for a retry does not hold the later ones back (the old API's documentation: "order of
  // callbacks is not guaranteed — use timestamp"; docs/api/webhooks.md#ordering).
  // The probe is one lookup in the partial index webhook_outbox_ordering (pending rows only). A claim of 24 on
  // 100,000 pending callbacks (bench/outbox-claim.ts, bench/results/outbox-claim-latest.md; 2 loaded cores):
  // PostgreSQL execution 0.31 → 0.49 ms fresh, 0.71 → 1.77 ms with 48 heads leased by other nodes; SQLite median
  // 0.56 → 1.46 ms and 0.55 → 1.57 ms. The cost grows with the rows stepped over, i.e. with leased heads (at most
  // 24 per node), not with the backlog: 10,000 leased heads, beyond any cluster, cost 97 ms (PostgreSQL).
  const headOfItsOrderingKey =
    (now: number): ClaimCondition<'webhook_outbox'> =>
    (eb) =>
      eb.or([
        eb('webhook_outbox.ordering_key', 'is', null),
        eb.not(
          eb.exists(
            eb
              .selectFrom('webhook_outbox as earlier')
              .select('earlier.id')
              .whereRef('earlier.ordering_key', '=', 'webhook_outbox.ordering_key')
              .where('earlier.state', '=', 'pending')
              .whereRef('earlier.id', '<', 'webhook_outbox.id')
              .where('earlier.next_attempt_at', '<=', now),
          ),
        ),
      ]);

  /** One attempt that did not deliver: due again later, or failed for good. */
  function settleUndelivered(trx: Kysely<Database>, o: DeliveryOutcome): Promise<void> {
    const last = { last_status_code: o.statusCode, last_error: o.error };
    const options = { executor: trx, countAttempt: true };
    return o.next.state === 'pending'
      ? queue.retryAt([o.id], o.next.nextAttemptAt, { ...last, state: 'pending' }, options)
      : queue.settle([o.id], { ...last, state: 'failed', completed_at: o.attemptedAt }, options);
  }

  return {
    /**
     * Leases up to `limit` due deliveries; a node that dies holding them loses the lease when it runs out. The
     * attempt is counted when it ends (complete), not here.
     */
    async claimDue(now: number, limit: number, leaseMs: number): Promise<ClaimedDelivery[]> {
      const rows = await queue.claim({
        now,
        limit,
        leaseMs,
        columns: ['delivery_id', 'payload', 'attempts', 'created_at'],
        countAttempt: false,
        where: headOfItsOrderingKey(now),
      });
      return rows.map((r) => ({
        id: r.id,
        deliveryId: r.delivery_id,
        payload: r.payload,
        attempts: r.attempts,
        createdAt: r.created_at,
      }));
    },

    /** Whether a claim now would find anything. */
    hasDue: (now: number) => queue.hasDue(now, headOfItsOrderingKey(now)),

    release: queue.release,

    /**
     * Records many attempts and their consequences in one transaction. Successes, the common case, share one
     * UPDATE (completed at the latest attempt of the group); retries and failures carry their own times.
     */
    async complete(outcomes: readonly DeliveryOutcome[]): Promise<void> {
      if (outcomes.length === 0) return;
      const delivered = outcomes.filter((o) => o.next.state === 'delivered');
      await db.transaction().execute(async (trx) => {
        await trx
          .insertInto('webhook_attempts')
          .values(
            outcomes.map((o) => ({
              outbox_id: o.id,
              attempted_at: o.attemptedAt,
              duration_ms: Math.round(o.durationMs),
              status_code: o.statusCode,
              error: o.error,
              response_body: o.responseBody,
            })),
          )
          .execute();
        // Grouped by status code (almost always one group: 200).
        for (const [statusCode, group] of groupBy(delivered, (o) => o.statusCode)) {
          const changes = {
            state: 'delivered',
            last_error: null,
            last_status_code: statusCode,
            completed_at: Math.max(...group.map((o) => o.attemptedAt)),
          } as const;
          await queue.settle(
            group.map((o) => o.id),
            changes,
            { executor: trx, countAttempt: true },
          );
        }
        for (const o of outcomes) if (o.next.state !== 'delivered') await settleUndelivered(trx, o);
      });
    },

    list(filter: DeliveryFilter) {
      let query = db
        .selectFrom('webhook_outbox')
        .select([
          'id',
          'delivery_id',
          'kind',
          'state',
          'attempts',
          'created_at',
          'next_attempt_at',
          'completed_at',
          'last_status_code',
          'last_error',
          'payload',
        ]);
      if (filter.state) query = query.where('state', '=', filter.state);
      if (filter.kind) query = query.where('kind', '=', filter.kind);
      if (filter.before !== undefined) query = query.where('id', '<', filter.before);
      return query.orderBy('id', 'desc').limit(filter.limit).execute();
    },

    findByDeliveryId(deliveryId: string) {
      return db.selectFrom('webhook_outbox').selectAll().where('delivery_id', '=', deliveryId).executeTakeFirst();
    },

    attemptsOf(outboxId: number) {
      return db
        .selectFrom('webhook_attempts')
        .select(['attempted_at', 'duration_ms', 'status_code', 'error', 'response_body'])
        .where('outbox_id', '=', outboxId)
        .orderBy('id')
        .execute();
    },

    /** Sends one delivery again now, whatever its state; false when the id is unknown. */
    async replay(deliveryId: string, now: number): Promise<boolean> {
      const result = await db
        .updateTable('webhook_outbox')
        .set({ state: 'pending', next_attempt_at: now, claimed_until: null, completed_at: null })
        .where('delivery_id', '=', deliveryId)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },

    /** Every failed delivery becomes pending again; answers how many. */
    async replayFailed(now: number): Promise<number> {
      const result = await db
        .updateTable('webhook_outbox')
        .set({ state: 'pending', next_attempt_at: now, claimed_until: null, completed_at: null })
        .where('state', '=', 'failed')
        .executeTakeFirst();
      return Number(result.numUpdatedRows);
    },

    /** How many deliveries the log keeps delivered and failed (until the garbage collector removes them). */
    async endedCounts(): Promise<{ delivered: number; failed: number }> {
      const rows = await db
        .selectFrom('webhook_outbox')
        .select((eb) => ['state', eb.fn.countAll<number>().as('n')])
        .where('state', 'in', ['delivered', 'failed'])
        .groupBy('state')
        .execute();
      const count = (state: string) => Number(rows.find((row) => row.state === state)?.n ?? 0);
      return { delivered: count('delivered'), failed: count('failed') };
    },

    /** Pending count and the creation time of the oldest pending delivery (null when none). */
    async backlog(): Promise<Backlog> {
      const row = await db
        .selectFrom('webhook_outbox')
        .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.min<number>('created_at').as('oldest')])
        .where('state', '=', 'pending')
        .executeTakeFirstOrThrow();
      return { pending: Number(row.n), oldestCreatedAt: row.oldest === null ? null : Number(row.oldest) };
    },
  };
}

export type WebhookOutboxRepository = ReturnType<typeof createWebhookOutboxRepository>;
