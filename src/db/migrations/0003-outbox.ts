import type { Kysely } from 'kysely';
import type { Dialect } from '../dialect.js';
import { autoIncrementPrimaryKey } from './columns.js';

// The webhook outbox: one row per callback, written in the same transaction as the event that caused it, and the
// log of every delivery attempt (svix's message → attempt model).
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  await db.schema
    .createTable('webhook_outbox')
    .$call(autoIncrementPrimaryKey('id', dialect))
    .addColumn('delivery_id', 'text', (c) => c.notNull().unique())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'bigint', (c) => c.notNull())
    .addColumn('claimed_until', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('completed_at', 'bigint')
    .addColumn('last_status_code', 'integer')
    .addColumn('last_error', 'text')
    .execute();
  // The dispatcher's claim reads pending rows in next_attempt_at order.
  await db.schema
    .createIndex('webhook_outbox_due')
    .on('webhook_outbox')
    .columns(['state', 'next_attempt_at'])
    .execute();

  await db.schema
    .createTable('webhook_attempts')
    .$call(autoIncrementPrimaryKey('id', dialect))
    .addColumn('outbox_id', 'bigint', (c) => c.notNull().references('webhook_outbox.id').onDelete('cascade'))
    .addColumn('attempted_at', 'bigint', (c) => c.notNull())
    .addColumn('duration_ms', 'integer', (c) => c.notNull())
    .addColumn('status_code', 'integer')
    .addColumn('error', 'text')
    .addColumn('response_body', 'text')
    .execute();
  await db.schema.createIndex('webhook_attempts_outbox').on('webhook_attempts').column('outbox_id').execute();
}
