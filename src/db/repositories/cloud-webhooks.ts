// Meta's webhooks as the cloud gateway received them, and the keys of what it already forwarded. One SQL operation
// per method; the claim leases rows (db/leased-queue.ts) so that several nodes share the work.
import type { Kysely } from 'kysely';
import type { Db } from '../database.js';
import type { Dialect } from '../dialect.js';
import { createLeasedQueue, settleLeasedRows } from '../leased-queue.js';
import type { Database } from '../schema.js';

export interface ClaimedCloudWebhook {
  id: number;
  body: string;
  attempts: number;
  receivedAt: number;
}

/** Records keys not seen before, in the caller's transaction; answers those that were new. */
export async function recordNewKeys(trx: Kysely<Database>, keys: readonly string[], now: number): Promise<Set<string>> {
  const unique = [...new Set(keys)];
  if (unique.length === 0) return new Set();
  const inserted = await trx
    .insertInto('cloud_webhook_keys')
    .values(unique.map((key) => ({ key, seen_at: now })))
    .onConflict((oc) => oc.column('key').doNothing())
    .returning('key')
    .execute();
  return new Set(inserted.map((row) => row.key));
}

/** Marks a webhook translated, in the transaction that wrote its callbacks. */
export async function markCloudWebhookProcessed(trx: Kysely<Database>, id: number, now: number): Promise<void> {
  await settleLeasedRows(trx, 'cloud_webhooks', [id], { state: 'processed', processed_at: now, last_error: null });
}

export function createCloudWebhooksRepository(db: Db, dialect: Dialect) {
  const queue = createLeasedQueue(db, dialect, 'cloud_webhooks');
  return {
    /** Stores a webhook as received; it is due at once. */
    async insert(body: string, now: number): Promise<void> {
      await db
        .insertInto('cloud_webhooks')
        .values({ body, state: 'pending', attempts: 0, next_attempt_at: now, received_at: now })
        .execute();
    },

    /** Leases up to `limit` due webhooks, oldest first; a node that dies holding them loses the lease when it ends. */
    async claimDue(now: number, limit: number, leaseMs: number): Promise<ClaimedCloudWebhook[]> {
      const rows = await queue.claim({
        now,
        limit,
        leaseMs,
        columns: ['body', 'attempts', 'received_at'],
        countAttempt: true,
      });
      return rows.map((r) => ({ id: r.id, body: r.body, attempts: r.attempts, receivedAt: Number(r.received_at) }));
    },

    /** A translation that failed: tried again at `at`. */
    retryAt(id: number, at: number, error: string): Promise<void> {
      return queue.retryAt([id], at, { last_error: error.slice(0, 1000) });
    },

    /** Which of these keys were already seen (read before costly work; the transaction's insert still decides). */
    async seenAmong(keys: readonly string[]): Promise<Set<string>> {
      if (keys.length === 0) return new Set();
      const rows = await db
        .selectFrom('cloud_webhook_keys')
        .select('key')
        .where('key', 'in', [...new Set(keys)])
        .execute();
      return new Set(rows.map((row) => row.key));
    },

    /** When the next pending webhook falls due (null when none waits). */
    nextDueAt: queue.nextDueAt,
    pendingCount: queue.countPending,
  };
}

export type CloudWebhooksRepository = ReturnType<typeof createCloudWebhooksRepository>;
