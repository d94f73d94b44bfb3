import type { Kysely } from 'kysely';
import type { Db } from '../database.js';
import type { ContactsTable, Database } from '../schema.js';
import { paddedInList, runShaped } from '../query-shapes.js';

export type CachedContact = ContactsTable;

/** Inserts or refreshes cache rows; takes a transaction so other writes can commit with it. */
export async function upsertContacts(db: Kysely<Database>, rows: readonly CachedContact[]): Promise<void> {
  if (rows.length === 0) return;
  await db
    .insertInto('contacts')
    .values([...rows])
    .onConflict((oc) =>
      oc.column('wa_id').doUpdateSet((eb) => ({
        status: eb.ref('excluded.status'),
        checked_at: eb.ref('excluded.checked_at'),
        expires_at: eb.ref('excluded.expires_at'),
      })),
    )
    .execute();
}

export function createContactsRepository(db: Db) {
  return {
    /** Unexpired cache entries for the given wa_ids. */
    async findFresh(waIds: readonly string[], now: number): Promise<Map<string, CachedContact>> {
      if (waIds.length === 0) return new Map();
      // Compiled once per padded list length: building the query was 7 % of a cached POST /v1/contacts profile.
      const list = paddedInList(waIds);
      const { rows } = await runShaped(db, `fresh contacts ×${list.length}`, [...list, now], () =>
        db.selectFrom('contacts').selectAll().where('wa_id', 'in', list).where('expires_at', '>', now),
      );
      return new Map(rows.map((row) => [row.wa_id, row]));
    },

    upsert: (rows: readonly CachedContact[]) => upsertContacts(db, rows),

    async countByStatus(now: number): Promise<Record<'valid' | 'invalid', number>> {
      const rows = await db
        .selectFrom('contacts')
        .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
        .where('expires_at', '>', now)
        .groupBy('status')
        .execute();
      const counts = { valid: 0, invalid: 0 };
      for (const row of rows) counts[row.status] = Number(row.n);
      return counts;
    },
  };
}

export type ContactsRepository = ReturnType<typeof createContactsRepository>;
