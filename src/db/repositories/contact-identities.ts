import type { Transaction } from 'kysely';
import type { Db } from '../database.js';
import type { ContactIdentitiesTable, Database } from '../schema.js';

export type ContactIdentityRow = ContactIdentitiesTable;

export type AcknowledgeOutcome = 'acknowledged' | 'hash_mismatch' | 'unknown';

export function createContactIdentitiesRepository(db: Db) {
  return {
    /**
     * A new identity for `waId`: it needs acknowledging again, even if it repeats an earlier hash. Written in the
     * caller's transaction when given, with the inbound notification that announced the change.
     */
    async recordChange(waId: string, hash: string, at: number, trx?: Transaction<Database>): Promise<void> {
      await (trx ?? db)
        .insertInto('contact_identities')
        .values({ wa_id: waId, hash, created_at: at, acknowledged: 0, acknowledged_at: null })
        .onConflict((oc) =>
          oc.column('wa_id').doUpdateSet({ hash, created_at: at, acknowledged: 0, acknowledged_at: null }),
        )
        .execute();
    },

    find(waId: string): Promise<ContactIdentityRow | undefined> {
      return db.selectFrom('contact_identities').selectAll().where('wa_id', '=', waId).executeTakeFirst();
    },

    /** Every wa_id whose latest identity is not acknowledged: few at any time, so read whole. */
    async unacknowledged(): Promise<string[]> {
      const rows = await db.selectFrom('contact_identities').select('wa_id').where('acknowledged', '=', 0).execute();
      return rows.map((row) => row.wa_id);
    },

    /** The wa_ids among `waIds` whose latest identity is not acknowledged. */
    async unacknowledgedAmong(waIds: readonly string[]): Promise<Set<string>> {
      if (waIds.length === 0) return new Set();
      const rows = await db
        .selectFrom('contact_identities')
        .select('wa_id')
        .where('wa_id', 'in', waIds)
        .where('acknowledged', '=', 0)
        .execute();
      return new Set(rows.map((row) => row.wa_id));
    },

    /**
     * Acknowledges the latest identity if `hash` is its hash, in one statement, so that a change recorded in
     * between (a newer hash) is never acknowledged by a PUT that named the older one. Acknowledging twice is fine.
     */
    async acknowledge(waId: string, hash: string, now: number): Promise<AcknowledgeOutcome> {
      const updated = await db
        .updateTable('contact_identities')
        .set({ acknowledged: 1, acknowledged_at: now })
        .where('wa_id', '=', waId)
        .where('hash', '=', hash)
        .where('acknowledged', '=', 0)
        .executeTakeFirst();
      if (Number(updated.numUpdatedRows) === 1) return 'acknowledged';
      const row = await db.selectFrom('contact_identities').select('hash').where('wa_id', '=', waId).executeTakeFirst();
      if (!row) return 'unknown';
      return row.hash === hash ? 'acknowledged' : 'hash_mismatch';
    },
  };
}

export type ContactIdentitiesRepository = ReturnType<typeof createContactIdentitiesRepository>;
