import type { Kysely } from 'kysely';
import type { Dialect } from '../dialect.js';
import { autoIncrementPrimaryKey } from './columns.js';

// One schema for both dialects: text, bigint (ms epoch) and 0/1 integers only.
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  await db.schema
    .createTable('users')
    .addColumn('username', 'text', (c) => c.primaryKey())
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('must_change_password', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('auth_tokens')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('username', 'text', (c) => c.notNull().references('users.username').onDelete('cascade'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('auth_tokens_username').on('auth_tokens').column('username').execute();

  await db.schema
    .createTable('contacts')
    .addColumn('wa_id', 'text', (c) => c.primaryKey())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('checked_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('contact_lookups')
    .$call(autoIncrementPrimaryKey('id', dialect))
    .addColumn('entries', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('result', 'text')
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('run_at', 'bigint', (c) => c.notNull())
    .addColumn('claimed_until', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('completed_at', 'bigint')
    .execute();
  await db.schema.createIndex('contact_lookups_due').on('contact_lookups').columns(['state', 'run_at']).execute();

  await db.schema
    .createTable('sandbox_customers')
    .addColumn('wa_id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text')
    .addColumn('on_whatsapp', 'integer', (c) => c.notNull())
    .addColumn('read_receipts', 'integer', (c) => c.notNull())
    .addColumn('online', 'integer', (c) => c.notNull())
    .addColumn('fail_with', 'integer')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['sandbox_customers', 'contact_lookups', 'contacts', 'auth_tokens', 'users']) {
    await db.schema.dropTable(table).execute();
  }
}
