import type { Kysely } from 'kysely';
import type { Dialect } from '../dialect.js';
import { autoIncrementPrimaryKey } from './columns.js';

// Messages both ways, the media they may reference, the network's scheduled effects (the gateway hand-off and the
// sandbox's future statuses) and the conversations that statuses are priced in.
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  await db.schema
    .createTable('messages')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('direction', 'text', (c) => c.notNull())
    .addColumn('wa_id', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('content', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('context_id', 'text')
    .addColumn('error_code', 'integer')
    .addColumn('category', 'text')
    .addColumn('conversation_id', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('sent_at', 'bigint')
    .addColumn('delivered_at', 'bigint')
    .addColumn('read_at', 'bigint')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  // One index serves the customer's conversation view and the 24-hour window (latest inbound of a wa_id).
  await db.schema
    .createIndex('messages_customer')
    .on('messages')
    .columns(['wa_id', 'direction', 'created_at'])
    .execute();

  await db.schema
    .createTable('media')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('mime_type', 'text', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('file_size', 'bigint', (c) => c.notNull())
    .addColumn('storage_key', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('scheduled_effects')
    .$call(autoIncrementPrimaryKey('id', dialect))
    .addColumn('message_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('due_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('scheduled_effects_due').on('scheduled_effects').column('due_at').execute();
  await db.schema.createIndex('scheduled_effects_message').on('scheduled_effects').column('message_id').execute();

  await db.schema
    .createTable('conversations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('wa_id', 'text', (c) => c.notNull())
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('opened_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('conversations_open')
    .on('conversations')
    .columns(['wa_id', 'category', 'expires_at'])
    .execute();
}
