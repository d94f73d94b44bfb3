// Deletes, in bounded batches, what the garbage collector may forget: messages nothing will change any more,
// webhook deliveries that ended, conversations that expired. Each call is one statement (its own transaction), so
// a batch holds the write lock briefly and the API keeps serving between batches.
import type { Db } from '../database.js';
import type { MessagesTable } from '../schema.js';

/** Outbound statuses after which the network never touches a message again (a delivered one may still be read). */
const FINISHED_OUTBOUND: MessagesTable['status'][] = ['read', 'failed'];

export interface RetentionRepository {
  /** Inbound messages, and outbound ones read or failed, written before `cutoff`. Answers how many went. */
  deleteFinishedMessages(cutoff: number, limit: number): Promise<number>;
  /** Delivered and failed webhook deliveries created before `cutoff`, with their attempts. Pending ones stay. */
  deleteEndedDeliveries(cutoff: number, limit: number): Promise<number>;
  deleteExpiredConversations(cutoff: number, limit: number): Promise<number>;
  /** Meta's webhooks translated before `cutoff`. Pending ones stay. */
  deleteProcessedCloudWebhooks(cutoff: number, limit: number): Promise<number>;
  /** Keys of forwarded cloud events first seen before `cutoff`. */
  deleteCloudWebhookKeys(cutoff: number, limit: number): Promise<number>;
}

export function createRetentionRepository(db: Db): RetentionRepository {
  return {
    async deleteFinishedMessages(cutoff, limit) {
      const batch = db
        .selectFrom('messages')
        .select('id')
        .where('created_at', '<', cutoff)
        .where((eb) => eb.or([eb('direction', '=', 'in'), eb('status', 'in', FINISHED_OUTBOUND)]))
        .limit(limit);
      const result = await db.deleteFrom('messages').where('id', 'in', batch).executeTakeFirst();
      return Number(result.numDeletedRows);
    },
    async deleteEndedDeliveries(cutoff, limit) {
      const batch = db
        .selectFrom('webhook_outbox')
        .select('id')
        .where('created_at', '<', cutoff)
        .where('state', '!=', 'pending')
        .limit(limit);
      // webhook_attempts rows go with their delivery (ON DELETE CASCADE).
      const result = await db.deleteFrom('webhook_outbox').where('id', 'in', batch).executeTakeFirst();
      return Number(result.numDeletedRows);
    },
    async deleteExpiredConversations(cutoff, limit) {
      const batch = db.selectFrom('conversations').select('id').where('expires_at', '<', cutoff).limit(limit);
      const result = await db.deleteFrom('conversations').where('id', 'in', batch).executeTakeFirst();
      return Number(result.numDeletedRows);
    },
    async deleteProcessedCloudWebhooks(cutoff, limit) {
      const batch = db
        .selectFrom('cloud_webhooks')
        .select('id')
        .where('state', '=', 'processed')
        .where('processed_at', '<', cutoff)
        .limit(limit);
      const result = await db.deleteFrom('cloud_webhooks').where('id', 'in', batch).executeTakeFirst();
      return Number(result.numDeletedRows);
    },
    async deleteCloudWebhookKeys(cutoff, limit) {
      const batch = db.selectFrom('cloud_webhook_keys').select('key').where('seen_at', '<', cutoff).limit(limit);
      const result = await db.deleteFrom('cloud_webhook_keys').where('key', 'in', batch).executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}
