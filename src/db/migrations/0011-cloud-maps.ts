import type { Kysely } from 'kysely';

// The cloud gateway's two maps. cloud_wa_ids: the wa_id Meta revealed for a number as dialled (contacts[].wa_id of
// a send answer; they differ for some BR and MX numbers), so POST /v1/contacts answers the real one afterwards.
// cloud_media: the media map: local media id (what On-Prem clients hold) ↔ Cloud media id. Unique on cloud_id
// so that adopting the same inbound Cloud media twice (Meta retries webhooks) yields one local id. The row goes
// with its media row: both are deleted together by the cloud media service.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('cloud_media')
    .addColumn('media_id', 'text', (c) => c.primaryKey())
    .addColumn('cloud_id', 'text', (c) => c.notNull().unique())
    .addColumn('url', 'text')
    .addColumn('url_expires_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('cloud_wa_ids')
    .addColumn('dialled', 'text', (c) => c.primaryKey())
    .addColumn('wa_id', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('cloud_wa_ids').execute();
  await db.schema.dropTable('cloud_media').execute();
}
