// The wa_ids Meta revealed for numbers as dialled (migration 0011): Cloud has no contacts look-up, so POST
// /v1/contacts answers the dialled digits until a send answer shows the real wa_id (docs/api/cloud-bridge.md#contacts).
import type { Db } from '../database.js';

export function createCloudWaIdsRepository(db: Db) {
  return {
    /** dialled → real wa_id, for those of `dialled` that were corrected. */
    async find(dialled: readonly string[]): Promise<Map<string, string>> {
      if (dialled.length === 0) return new Map();
      const rows = await db
        .selectFrom('cloud_wa_ids')
        .select(['dialled', 'wa_id'])
        .where('dialled', 'in', [...new Set(dialled)])
        .execute();
      return new Map(rows.map((row) => [row.dialled, row.wa_id]));
    },

    async remember(dialled: string, waId: string, now: number): Promise<void> {
      await db
        .insertInto('cloud_wa_ids')
        .values({ dialled, wa_id: waId, updated_at: now })
        .onConflict((oc) => oc.column('dialled').doUpdateSet({ wa_id: waId, updated_at: now }))
        .execute();
    },
  };
}

export type CloudWaIdsRepository = ReturnType<typeof createCloudWaIdsRepository>;
