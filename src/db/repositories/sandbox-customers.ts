import type { Db } from '../database.js';
import type { SandboxCustomersTable } from '../schema.js';

export type SandboxCustomerRow = SandboxCustomersTable;

export function createSandboxCustomersRepository(db: Db) {
  return {
    find(waId: string): Promise<SandboxCustomerRow | undefined> {
      return db.selectFrom('sandbox_customers').selectAll().where('wa_id', '=', waId).executeTakeFirst();
    },

    async findMany(waIds: readonly string[]): Promise<Map<string, SandboxCustomerRow>> {
      if (waIds.length === 0) return new Map();
      const rows = await db.selectFrom('sandbox_customers').selectAll().where('wa_id', 'in', waIds).execute();
      return new Map(rows.map((row) => [row.wa_id, row]));
    },

    async upsert(row: SandboxCustomerRow): Promise<void> {
      await db
        .insertInto('sandbox_customers')
        .values(row)
        .onConflict((oc) =>
          oc.column('wa_id').doUpdateSet({
            name: row.name,
            on_whatsapp: row.on_whatsapp,
            read_receipts: row.read_receipts,
            online: row.online,
            fail_with: row.fail_with,
            updated_at: row.updated_at,
          }),
        )
        .execute();
    },
  };
}

export type SandboxCustomersRepository = ReturnType<typeof createSandboxCustomersRepository>;
