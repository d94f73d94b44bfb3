import type { Kysely } from 'kysely';

// What the last start ran with (the gateway), so that a start on the other gateway can say so. One row, id 1,
// written by the first start that finds none; outside the settings, so that backups and the settings API never
// see it.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('installation')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('gateway', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('installation').execute();
}
