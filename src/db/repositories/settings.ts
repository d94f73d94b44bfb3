import type { Db } from '../database.js';
import type { SettingsTable } from '../schema.js';
import type { SecretsSealer } from '../../lib/sealed-secrets.js';
import { openSettingsText, sealSettingsText } from '../../services/settings-secrets.js';

/** The groups the services read and write; the `secrets_key` row belongs to src/services/secrets-at-rest.ts. */
export type SettingsName = Exclude<SettingsTable['name'], 'secrets_key'>;

export interface StoredSettings {
  /** The document with its secret fields opened. */
  value: string;
  /** The document as stored (secrets sealed): what compareAndSet compares against. */
  stored: string;
  updatedAt: number;
}

/**
 * One JSON document per settings group, its secret fields sealed with the node key (src/services/settings-secrets.ts). Writes are compare-and-set on the stored text: two nodes patching at once
 * cannot lose each other's change (the loser re-reads and merges again), on either dialect, without row locks
 * (SQLite has no SELECT … FOR UPDATE, and a missing row cannot be locked at all).
 */
export function createSettingsRepository(db: Db, sealer: SecretsSealer) {
  return {
    async read(name: SettingsName): Promise<StoredSettings | undefined> {
      const row = await db.selectFrom('settings').select(['value', 'updated_at']).where('name', '=', name).executeTakeFirst();
      return row ? { value: openSettingsText(name, row.value, sealer), stored: row.value, updatedAt: Number(row.updated_at) } : undefined;
    },

    /** Writes `next` (sealed) if the row still holds `expected`, as stored (undefined: if there is still no row). False if it changed. */
    async compareAndSet(name: SettingsName, expected: string | undefined, plain: string, now: number): Promise<boolean> {
      const next = sealSettingsText(name, plain, sealer);
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
    async replace(name: SettingsName, plain: string | undefined, now: number): Promise<void> {
      await db.deleteFrom('settings').where('name', '=', name).execute();
      if (plain !== undefined) await db.insertInto('settings').values({ name, value: sealSettingsText(name, plain, sealer), updated_at: now }).execute();
    },

    async delete(name: SettingsName): Promise<void> {
      await db.deleteFrom('settings').where('name', '=', name).execute();
    },
  };
}

export type SettingsRepository = ReturnType<typeof createSettingsRepository>;
