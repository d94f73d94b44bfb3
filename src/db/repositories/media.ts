// The media table. Uploads arrive with the media endpoints; sends already check that the ids they name exist.
import type { Db } from '../database.js';

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
  };
}

export type MediaRepository = ReturnType<typeof createMediaRepository>;
