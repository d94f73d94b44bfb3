// The media table and the journal of blobs in flight (media_pending). A blob is journalled before its first byte
// is written and before it is removed; the media row and the journal change commit together, so a node that dies
// at any point leaves either a complete media row or a journal entry the retention pass can finish.
import type { Transaction } from 'kysely';
import type { Db } from '../database.js';
import type { Database, MediaPendingTable, MediaTable } from '../schema.js';

export type MediaRow = MediaTable;

/** The upload's journal entry was gone when it finished: the retention pass judged it dead and removed its blob. */
export class MediaWriteLostError extends Error {
  constructor(storageKey: string) {
    super(`the blob ${storageKey} was removed as abandoned before its upload finished`);
    this.name = 'MediaWriteLostError';
  }
}

export function createMediaRepository(db: Db) {
  return {
    /** The ids among `ids` that no stored media has. */
    async missing(ids: readonly string[]): Promise<string[]> {
      const unique = [...new Set(ids)];
      if (unique.length === 0) return [];
      const found = await db.selectFrom('media').select('id').where('id', 'in', unique).execute();
      const known = new Set(found.map((row) => row.id));
      return unique.filter((id) => !known.has(id));
    },

    find(id: string): Promise<MediaRow | undefined> {
      return db.selectFrom('media').selectAll().where('id', '=', id).executeTakeFirst();
    },

    /** Journals a blob about to be written. */
    async beginWrite(storageKey: string, now: number): Promise<void> {
      await db.insertInto('media_pending').values({ storage_key: storageKey, reason: 'upload', since: now }).execute();
    },

    /**
     * Commits a media row; one with bytes also ends its upload's journal entry, which must still be there. In the
     * caller's transaction when given (an inbound message stores its file with it), else in one of its own.
     */
    async commit(row: MediaRow, trx?: Transaction<Database>): Promise<void> {
      if (!trx) return db.transaction().execute((own) => insertStored(own, row));
      return insertStored(trx, row);
    },

    /**
     * Deletes a media row and journals its blob for removal, in one transaction; answers the blob's key (null when
     * the media had no bytes), or undefined when no such media exists.
     */
    async delete(id: string, now: number): Promise<string | null | undefined> {
      return db.transaction().execute(async (trx) => {
        const row = await trx.deleteFrom('media').where('id', '=', id).returning('storage_key').executeTakeFirst();
        if (!row) return undefined;
        if (row.storage_key !== null) {
          await trx
            .insertInto('media_pending')
            .values({ storage_key: row.storage_key, reason: 'delete', since: now })
            .execute();
        }
        return row.storage_key;
      });
    },

    /** The journal entry is done with (its blob written into a row, or removed). */
    async settle(storageKey: string): Promise<void> {
      await db.deleteFrom('media_pending').where('storage_key', '=', storageKey).execute();
    },

    /** Ids of media created before `before`, oldest first. */
    async createdBefore(before: number, limit: number): Promise<string[]> {
      const rows = await db
        .selectFrom('media')
        .select('id')
        .where('created_at', '<', before)
        .orderBy('created_at')
        .limit(limit)
        .execute();
      return rows.map((row) => row.id);
    },

    /** Journal entries to finish: every removal, and the uploads begun before `uploadsBefore` (abandoned). */
    pendingToFinish(uploadsBefore: number, limit: number): Promise<MediaPendingTable[]> {
      return db
        .selectFrom('media_pending')
        .selectAll()
        .where((eb) => eb.or([eb('reason', '=', 'delete'), eb('since', '<', uploadsBefore)]))
        .orderBy('since')
        .limit(limit)
        .execute();
    },
  };
}

export type MediaRepository = ReturnType<typeof createMediaRepository>;

/** The journal entry's end and the row commit together: see the top of this file. */
async function insertStored(trx: Transaction<Database>, row: MediaRow): Promise<void> {
  if (row.storage_key !== null) {
    const ended = await trx
      .deleteFrom('media_pending')
      .where('storage_key', '=', row.storage_key)
      .where('reason', '=', 'upload')
      .executeTakeFirst();
    if (Number(ended.numDeletedRows) !== 1) throw new MediaWriteLostError(row.storage_key);
  }
  await trx.insertInto('media').values(row).execute();
}
