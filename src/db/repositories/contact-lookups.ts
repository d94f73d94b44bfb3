// Contact look-ups made with `blocking: no_wait`: queued rows, claimed under a lease (db/leased-queue.ts) by the
// look-up worker, and completed with their callback in one transaction.
import type { Db } from '../database.js';
import type { Dialect } from '../dialect.js';
import { createLeasedQueue } from '../leased-queue.js';
import type { ContactLookupsTable, ContactsTable } from '../schema.js';
import { upsertContacts } from './contacts.js';
import { enqueueWebhook } from './webhook-outbox.js';

export interface LookupEntry {
  input: string;
  wa_id: string;
}

export interface LookupResult {
  input: string;
  status: 'valid' | 'invalid' | 'failed';
  wa_id?: string;
}

export interface ClaimedLookup {
  id: number;
  entries: LookupEntry[];
  attempts: number;
}

export function createContactLookupsRepository(db: Db, dialect: Dialect) {
  const queue = createLeasedQueue(db, dialect, 'contact_lookups');
  return {
    async enqueue(entries: readonly LookupEntry[], now: number): Promise<number> {
      const row = await db
        .insertInto('contact_lookups')
        .values({ entries: JSON.stringify(entries), state: 'pending', attempts: 0, run_at: now, created_at: now })
        .returning('id')
        .executeTakeFirstOrThrow();
      return Number(row.id);
    },

    /**
     * Leases up to `limit` due look-ups for `leaseMs`. A node that dies holding a lease loses it when the lease
     * runs out, and another node (or the same one restarted) picks the look-up up again.
     */
    async claimDue(now: number, limit: number, leaseMs: number): Promise<ClaimedLookup[]> {
      const rows = await queue.claim({ now, limit, leaseMs, columns: ['entries', 'attempts'], countAttempt: true });
      return rows.map((row) => ({
        id: row.id,
        entries: JSON.parse(row.entries) as LookupEntry[],
        attempts: row.attempts,
      }));
    },

    /**
     * Stores the result, refreshes the contact cache and writes the `{"contacts":[...]}` callback in one
     * transaction: the webhook cannot be lost, nor sent for a result that was not stored.
     */
    async complete(
      id: number,
      result: readonly LookupResult[],
      cache: readonly ContactsTable[],
      now: number,
    ): Promise<void> {
      await db.transaction().execute(async (trx) => {
        await queue.settle(
          [id],
          { state: 'done', result: JSON.stringify(result), completed_at: now },
          { executor: trx },
        );
        await upsertContacts(trx, cache);
        await enqueueWebhook(trx, 'contacts', { contacts: result }, now);
      });
    },

    retryAt(id: number, runAt: number): Promise<void> {
      return queue.retryAt([id], runAt);
    },

    nextDueAt: queue.nextDueAt,

    find(id: number): Promise<Pick<ContactLookupsTable, 'state' | 'result' | 'attempts'> | undefined> {
      return db
        .selectFrom('contact_lookups')
        .select(['state', 'result', 'attempts'])
        .where('id', '=', id)
        .executeTakeFirst();
    },

    countPending: queue.countPending,
  };
}

export type ContactLookupsRepository = ReturnType<typeof createContactLookupsRepository>;
