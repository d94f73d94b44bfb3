import type { Db } from '../database.js';
import type { StickerpacksTable, StickersTable } from '../schema.js';

export type StickerpackRow = StickerpacksTable;
export type StickerRow = StickersTable;

export type PackChanges = Partial<
  Pick<StickerpackRow, 'publisher' | 'name' | 'ios_app_store_link' | 'android_app_store_link'>
>;
export type StickerChanges = Partial<Pick<StickerRow, 'image_data_id' | 'emojis'>>;

export type AddStickerOutcome = { added: number } | 'no_pack' | 'full';

/** The business's sticker packs and their stickers. One SQL operation per method, but for adding a sticker. */
export function createStickerpacksRepository(db: Db) {
  return {
    listPacks(): Promise<StickerpackRow[]> {
      return db.selectFrom('stickerpacks').selectAll().orderBy('created_at').orderBy('id').execute();
    },

    findPack(id: string): Promise<StickerpackRow | undefined> {
      return db.selectFrom('stickerpacks').selectAll().where('id', '=', id).executeTakeFirst();
    },

    async insertPack(row: StickerpackRow): Promise<void> {
      await db.insertInto('stickerpacks').values(row).execute();
    },

    async updatePack(id: string, changes: PackChanges, now: number): Promise<boolean> {
      const updated = await db
        .updateTable('stickerpacks')
        .set({ ...changes, updated_at: now })
        .where('id', '=', id)
        .executeTakeFirst();
      return Number(updated.numUpdatedRows) === 1;
    },

    /** The pack and its stickers, together. */
    async deletePack(id: string): Promise<boolean> {
      return db.transaction().execute(async (trx) => {
        await trx.deleteFrom('stickers').where('pack_id', '=', id).execute();
        const deleted = await trx.deleteFrom('stickerpacks').where('id', '=', id).executeTakeFirst();
        return Number(deleted.numDeletedRows) === 1;
      });
    },

    listStickers(packId: string): Promise<StickerRow[]> {
      return db.selectFrom('stickers').selectAll().where('pack_id', '=', packId).orderBy('sticker_index').execute();
    },

    findSticker(packId: string, index: number): Promise<StickerRow | undefined> {
      return db
        .selectFrom('stickers')
        .selectAll()
        .where('pack_id', '=', packId)
        .where('sticker_index', '=', index)
        .executeTakeFirst();
    },

    /**
     * Takes the pack's next index and inserts the sticker, unless the pack already holds `max`. The index is taken
     * by an UPDATE first: on PostgreSQL that locks the pack's row until commit, so two adds at once cannot both
     * see room for one more (SQLite runs write transactions one at a time anyway).
     */
    async addSticker(
      packId: string,
      sticker: Pick<StickerRow, 'image_data_id' | 'emojis'>,
      now: number,
      max: number,
    ): Promise<AddStickerOutcome> {
      try {
        return await db.transaction().execute(async (trx) => {
          const taken = await trx
            .updateTable('stickerpacks')
            .set((eb) => ({ next_sticker_index: eb('next_sticker_index', '+', 1), updated_at: now }))
            .where('id', '=', packId)
            .returning('next_sticker_index')
            .executeTakeFirst();
          if (!taken) return 'no_pack' as const;
          const { count } = await trx
            .selectFrom('stickers')
            .select((eb) => eb.fn.countAll<number>().as('count'))
            .where('pack_id', '=', packId)
            .executeTakeFirstOrThrow();
          // Rolls back the index taken above too.
          if (Number(count) >= max) throw new PackFullError();
          const index = Number(taken.next_sticker_index) - 1;
          await trx
            .insertInto('stickers')
            .values({ pack_id: packId, sticker_index: index, ...sticker, created_at: now, updated_at: now })
            .execute();
          return { added: index };
        });
      } catch (error) {
        if (error instanceof PackFullError) return 'full';
        throw error;
      }
    },

    async updateSticker(packId: string, index: number, changes: StickerChanges, now: number): Promise<boolean> {
      const updated = await db
        .updateTable('stickers')
        .set({ ...changes, updated_at: now })
        .where('pack_id', '=', packId)
        .where('sticker_index', '=', index)
        .executeTakeFirst();
      return Number(updated.numUpdatedRows) === 1;
    },

    async deleteSticker(packId: string, index: number): Promise<boolean> {
      const deleted = await db
        .deleteFrom('stickers')
        .where('pack_id', '=', packId)
        .where('sticker_index', '=', index)
        .executeTakeFirst();
      return Number(deleted.numDeletedRows) === 1;
    },

    /** The MIME type of an uploaded media file, or undefined when no media has that id. */
    async mediaType(mediaId: string): Promise<string | undefined> {
      const row = await db.selectFrom('media').select('mime_type').where('id', '=', mediaId).executeTakeFirst();
      return row?.mime_type;
    },
  };
}

export type StickerpacksRepository = ReturnType<typeof createStickerpacksRepository>;

class PackFullError extends Error {
  constructor() {
    super('the sticker pack is full');
    this.name = 'PackFullError';
  }
}
