// The cloud gateway's media map (migration 0011): local media id ↔ Cloud media id, and the cached download URL.
import type { Db } from '../database.js';
import type { CloudMediaTable, MediaTable } from '../schema.js';
import { createMediaRepository } from './media.js';

export type CloudMediaRow = CloudMediaTable;

export function createCloudMediaRepository(db: Db) {
  // The media row an adoption stores commits with its Cloud id, in one transaction.
  const media = createMediaRepository(db);
  return {
    find(mediaId: string): Promise<CloudMediaRow | undefined> {
      return db.selectFrom('cloud_media').selectAll().where('media_id', '=', mediaId).executeTakeFirst();
    },

    findByCloudId(cloudId: string): Promise<CloudMediaRow | undefined> {
      return db.selectFrom('cloud_media').selectAll().where('cloud_id', '=', cloudId).executeTakeFirst();
    },

    /** Local id → Cloud id for each of `mediaIds` that has one mapped at `since` or later. */
    async cloudIds(mediaIds: readonly string[], since: number): Promise<Map<string, string>> {
      if (mediaIds.length === 0) return new Map();
      const rows = await db
        .selectFrom('cloud_media')
        .select(['media_id', 'cloud_id'])
        .where('media_id', 'in', [...new Set(mediaIds)])
        .where('created_at', '>=', since)
        .execute();
      return new Map(rows.map((row) => [row.media_id, row.cloud_id]));
    },

    /**
     * Inserts a media row (bytes or none) and its Cloud id together. When another request adopted the same Cloud
     * id first, nothing is written and that one's local id is answered instead.
     */
    async insert(row: MediaTable, cloudId: string): Promise<string> {
      return db.transaction().execute(async (trx) => {
        const existing = await trx
          .selectFrom('cloud_media')
          .select('media_id')
          .where('cloud_id', '=', cloudId)
          .executeTakeFirst();
        if (existing) return existing.media_id;
        await media.commit(row, trx);
        await trx
          .insertInto('cloud_media')
          .values({ media_id: row.id, cloud_id: cloudId, url: null, url_expires_at: null, created_at: row.created_at })
          .execute();
        return row.id;
      });
    },

    /** Maps an already committed media row (an upload) to its Cloud id. */
    async link(mediaId: string, cloudId: string, now: number): Promise<void> {
      await db
        .insertInto('cloud_media')
        .values({ media_id: mediaId, cloud_id: cloudId, url: null, url_expires_at: null, created_at: now })
        .execute();
    },

    /** A new Cloud id for a local media whose old upload Meta has let go. */
    async relink(mediaId: string, cloudId: string, now: number): Promise<void> {
      await db
        .updateTable('cloud_media')
        .set({ cloud_id: cloudId, url: null, url_expires_at: null, created_at: now })
        .where('media_id', '=', mediaId)
        .execute();
    },

    async rememberUrl(mediaId: string, url: string | null, expiresAt: number | null): Promise<void> {
      await db
        .updateTable('cloud_media')
        .set({ url, url_expires_at: expiresAt })
        .where('media_id', '=', mediaId)
        .execute();
    },

    async remove(mediaId: string): Promise<void> {
      await db.deleteFrom('cloud_media').where('media_id', '=', mediaId).execute();
    },
  };
}

export type CloudMediaRepository = ReturnType<typeof createCloudMediaRepository>;
