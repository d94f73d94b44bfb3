import type { Kysely } from 'kysely';

// Settings shared by every node on the database: one row per group (`application`, `media_providers`), the value a
// JSON document. A missing row means "all defaults", so DELETE /v1/settings/application is a row delete and a new
// default in a later release reaches every installation that never changed that field.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('settings')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('settings').execute();
}
