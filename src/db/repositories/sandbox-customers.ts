import type { Db } from '../database.js';
import type { SandboxCustomersTable } from '../schema.js';

export type SandboxCustomerRow = SandboxCustomersTable;

/** The columns a sandbox control may change. */
export type CustomerSetting = 'name' | 'on_whatsapp' | 'read_receipts' | 'online' | 'fail_with';

export function createSandboxCustomersRepository(db: Db) {
  return {
    find(waId: string): Promise<SandboxCustomerRow | undefined> {
      return db.selectFrom('sandbox_customers').selectAll().where('wa_id', '=', waId).executeTakeFirst();
    },

    /** Stored customers in wa_id order after `after` (from the first when null): one range read of the primary key. */
    listAfter(after: string | null, limit: number): Promise<SandboxCustomerRow[]> {
      let query = db.selectFrom('sandbox_customers').selectAll().orderBy('wa_id').limit(limit);
      if (after !== null) query = query.where('wa_id', '>', after);
      return query.execute();
    },

    async findMany(waIds: readonly string[]): Promise<Map<string, SandboxCustomerRow>> {
      if (waIds.length === 0) return new Map();
      const rows = await db.selectFrom('sandbox_customers').selectAll().where('wa_id', 'in', waIds).execute();
      return new Map(rows.map((row) => [row.wa_id, row]));
    },

    /**
     * Inserts the customer, or when it exists writes only the `changed` columns (and updated_at) in the same
     * statement, so that two PATCHes of different fields at once both hold instead of the later one putting back
     * the values the earlier one replaced.
     */
    async upsert(row: SandboxCustomerRow, changed: readonly CustomerSetting[]): Promise<void> {
      const updates: Partial<SandboxCustomerRow> = { updated_at: row.updated_at };
      for (const column of changed) Object.assign(updates, { [column]: row[column] });
      await db
        .insertInto('sandbox_customers')
        .values(row)
        .onConflict((oc) => oc.column('wa_id').doUpdateSet(updates))
        .execute();
    },
  };
}

export type SandboxCustomersRepository = ReturnType<typeof createSandboxCustomersRepository>;
