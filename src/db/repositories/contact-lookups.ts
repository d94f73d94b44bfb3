import type { Db } from '../database.js';
import type { Dialect } from '../dialect.js';
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
      let due = db
        .selectFrom('contact_lookups')
        .select('id')
        .where('state', '=', 'pending')
        .where('run_at', '<=', now)
        .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<', now)]))
        .orderBy('run_at')
        .limit(limit);
      // SKIP LOCKED lets several nodes claim side by side without waiting on each other's rows.
      if (dialect === 'postgres') due = due.forUpdate().skipLocked();
      const rows = await db
        .updateTable('contact_lookups')
        .set((eb) => ({ claimed_until: now + leaseMs, attempts: eb('attempts', '+', 1) }))
        .where('id', 'in', due)
        .returning(['id', 'entries', 'attempts'])
        .execute();
      return rows.map((row) => ({ id: Number(row.id), entries: JSON.parse(row.entries) as LookupEntry[], attempts: row.attempts }));
    },

    /**
     * Stores the result, refreshes the contact cache and writes the `{"contacts":[...]}` callback in one
     * transaction: the webhook cannot be lost, nor sent for a result that was not stored.
     */
    async complete(id: number, result: readonly LookupResult[], cache: readonly ContactsTable[], now: number): Promise<void> {
      await db.transaction().execute(async (trx) => {
        await trx
          .updateTable('contact_lookups')
          .set({ state: 'done', result: JSON.stringify(result), completed_at: now, claimed_until: null })
          .where('id', '=', id)
          .execute();
        await upsertContacts(trx, cache);
        await enqueueWebhook(trx, 'contacts', { contacts: result }, now);
      });
    },

    async retryAt(id: number, runAt: number): Promise<void> {
      await db.updateTable('contact_lookups').set({ run_at: runAt, claimed_until: null }).where('id', '=', id).execute();
    },

    find(id: number): Promise<Pick<ContactLookupsTable, 'state' | 'result' | 'attempts'> | undefined> {
      return db.selectFrom('contact_lookups').select(['state', 'result', 'attempts']).where('id', '=', id).executeTakeFirst();
    },

    async countPending(): Promise<number> {
      const row = await db
        .selectFrom('contact_lookups')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('state', '=', 'pending')
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },
  };
}

export type ContactLookupsRepository = ReturnType<typeof createContactLookupsRepository>;
