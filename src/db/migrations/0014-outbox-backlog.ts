import { sql, type Kysely } from 'kysely';

// The backlog that openprem_webhook_queue_depth and openprem_webhook_oldest_pending_age_seconds report
// (WebhookOutboxRepository.backlog): count(*) and min(created_at) of the pending callbacks, answered from this
// index alone. Partial, like webhook_outbox_ordering: delivered rows (kept for days) are not in it, so it is as
// small as the backlog and the oldest pending callback is its first entry. Without it the read visited every
// pending row in the table (numbers in bench/outbox-backlog.ts's header).
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex('webhook_outbox_pending_created')
    .on('webhook_outbox')
    .column('created_at')
    .where(sql.ref('state'), '=', 'pending')
    .execute();
}
