import type { Db } from '../database.js';
import type { SettingsTable } from '../schema.js';

export type SettingsName = SettingsTable['name'];

export interface StoredSettings {
  value: string;
  updatedAt: number;
}

/**
 * One JSON document per settings group. Writes are compare-and-set on the stored text: two nodes patching at once
 * cannot lose each other's change (the loser re-reads and merges again), on either dialect, without row locks
 * (SQLite has no SELECT … FOR UPDATE, and a missing row cannot be locked at all).
 */
export function createSettingsRepository(db: Db) {
  return {
    async read(name: SettingsName): Promise<StoredSettings | undefined> {
      const row = await db.selectFrom('settings').select(['value', 'updated_at']).where('name', '=', name).executeTakeFirst();
      return row ? { value: row.value, updatedAt: Number(row.updated_at) } : undefined;
    },

    /** Writes `next` if the row still holds `expected` (undefined: if there is still no row). False if it changed. */
    async compareAndSet(name: SettingsName, expected: string | undefined, next: string, now: number): Promise<boolean> {
      if (expected === undefined) {
        const inserted = await db
          .insertInto('settings')
          .values({ name, value: next, updated_at: now })
          .onConflict((oc) => oc.column('name').doNothing())
          .executeTakeFirst();
        return Number(inserted.numInsertedOrUpdatedRows ?? 0) === 1;
      }
      const updated = await db
        .updateTable('settings')
        .set({ value: next, updated_at: now })
        .where('name', '=', name)
        .where('value', '=', expected)
        .executeTakeFirst();
      return Number(updated.numUpdatedRows) === 1;
    },

    /** Sets the group's document, or removes it (undefined: defaults) whatever it held: a restore. */
    async replace(name: SettingsName, value: string | undefined, now: number): Promise<void> {
      await db.deleteFrom('settings').where('name', '=', name).execute();
      if (value !== undefined) await db.insertInto('settings').values({ name, value, updated_at: now }).execute();
    },

    async delete(name: SettingsName): Promise<void> {
      await db.deleteFrom('settings').where('name', '=', name).execute();
    },
  };
}

export type SettingsRepository = ReturnType<typeof createSettingsRepository>;
