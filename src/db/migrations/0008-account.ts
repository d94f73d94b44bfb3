import type { Kysely } from 'kysely';

// The business number's registration and its shard count (docs/api/account-and-registration.md): one row, id 1, shared
// by every node on the database. No row is written here: whether a fresh database starts registered is configuration
// (WA_SANDBOX_REGISTERED), so the first node to start writes the row (see src/services/account.ts).
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('account')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('cc', 'text')
    .addColumn('phone_number', 'text')
    .addColumn('method', 'text')
    .addColumn('vname', 'text')
    .addColumn('cert', 'text')
    .addColumn('code', 'text')
    .addColumn('code_expires_at', 'bigint')
    .addColumn('code_attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('registered_at', 'bigint')
    .addColumn('connected_at', 'bigint')
    .addColumn('shards', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('account').execute();
}
