import type { Kysely } from 'kysely';

// The garbage collector finds old rows by the time they were written; these indexes keep each of its batches a
// range read instead of a scan of tables that grow by millions of rows. created_at columns are written once, so
// they cost an index insert per row and nothing on the updates that statuses make.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('messages_created').on('messages').column('created_at').execute();
  await db.schema.createIndex('webhook_outbox_created').on('webhook_outbox').column('created_at').execute();
  await db.schema.createIndex('conversations_expiry').on('conversations').column('expires_at').execute();
}
