import type { Kysely } from 'kysely';
import type { Dialect } from '../dialect.js';
import { autoIncrementPrimaryKey } from './columns.js';

// The cloud gateway's inbound half: Meta's webhooks as received (committed before Meta gets its 200, translated
// afterwards), and the keys of what was already forwarded, so that Meta's retries are dropped.
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  await db.schema
    .createTable('cloud_webhooks')
    .$call(autoIncrementPrimaryKey('id', dialect))
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'bigint', (c) => c.notNull())
    .addColumn('claimed_until', 'bigint')
    .addColumn('received_at', 'bigint', (c) => c.notNull())
    .addColumn('processed_at', 'bigint')
    .addColumn('last_error', 'text')
    .execute();
  // The worker's claim reads pending rows in next_attempt_at order; the garbage collector reads processed ones by age.
  await db.schema
    .createIndex('cloud_webhooks_due')
    .on('cloud_webhooks')
    .columns(['state', 'next_attempt_at'])
    .execute();
  await db.schema.createIndex('cloud_webhooks_processed').on('cloud_webhooks').column('processed_at').execute();

  await db.schema
    .createTable('cloud_webhook_keys')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('seen_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('cloud_webhook_keys_seen').on('cloud_webhook_keys').column('seen_at').execute();
}
