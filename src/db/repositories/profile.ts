import type { Db } from '../database.js';
import type { ProfileTable } from '../schema.js';

export type ProfilePart = ProfileTable['name'];
export const PROFILE_PARTS: readonly ProfilePart[] = ['about', 'business', 'two_step', 'photo'];

export interface StoredPart {
  value: string;
  data: Buffer | null;
  updatedAt: number;
}

/** Plain JSON: what a backup carries of the profile, and what a restore gives back to importAll. */
export interface ProfileExport {
  version: 1;
  parts: { name: ProfilePart; value: string; data_base64: string | null; updated_at: number }[];
}

/**
 * The business profile, one row per part. Every read goes to the database (these endpoints are rare), so every
 * node shares one truth. Partial updates are compare-and-set on the stored text, as the settings are: two nodes
 * updating different fields at once cannot lose each other's change.
 */
export function createProfileRepository(db: Db) {
  return {
    async read(name: ProfilePart): Promise<StoredPart | undefined> {
      const row = await db
        .selectFrom('profile')
        .select(['value', 'data', 'updated_at'])
        .where('name', '=', name)
        .executeTakeFirst();
      return row
        ? {
            value: row.value,
            data: row.data === null ? null : Buffer.from(row.data),
            updatedAt: Number(row.updated_at),
          }
        : undefined;
    },

    /** Creates or replaces the part. */
    async write(name: ProfilePart, value: string, data: Buffer | null, now: number): Promise<void> {
      await db
        .insertInto('profile')
        .values({ name, value, data, updated_at: now })
        .onConflict((oc) => oc.column('name').doUpdateSet({ value, data, updated_at: now }))
        .execute();
    },

    /** Writes `next` if the row still holds `expected` (undefined: if there is still no row). False if it changed. */
    async compareAndSet(name: ProfilePart, expected: string | undefined, next: string, now: number): Promise<boolean> {
      if (expected === undefined) {
        const inserted = await db
          .insertInto('profile')
          .values({ name, value: next, data: null, updated_at: now })
          .onConflict((oc) => oc.column('name').doNothing())
          .executeTakeFirst();
        return Number(inserted.numInsertedOrUpdatedRows ?? 0) === 1;
      }
      const updated = await db
        .updateTable('profile')
        .set({ value: next, updated_at: now })
        .where('name', '=', name)
        .where('value', '=', expected)
        .executeTakeFirst();
      return Number(updated.numUpdatedRows) === 1;
    },

    async delete(name: ProfilePart): Promise<void> {
      await db.deleteFrom('profile').where('name', '=', name).execute();
    },

    /** Every part as plain JSON (photo bytes in base64), for the backup. */
    async exportAll(): Promise<ProfileExport> {
      const rows = await db.selectFrom('profile').selectAll().orderBy('name').execute();
      return {
        version: 1,
        parts: rows.map((row) => ({
          name: row.name,
          value: row.value,
          data_base64: row.data === null ? null : Buffer.from(row.data).toString('base64'),
          updated_at: Number(row.updated_at),
        })),
      };
    },

    /** Replaces the whole profile with an export, atomically: parts the export lacks are removed. */
    async importAll(exported: ProfileExport): Promise<void> {
      if (exported.version !== 1) throw new Error(`unknown profile export version ${String(exported.version)}`);
      const unknown = exported.parts.find((part) => !PROFILE_PARTS.includes(part.name));
      if (unknown) throw new Error(`unknown profile part "${unknown.name}" in the export`);
      const replace = async (trx: Db) => {
        await trx.deleteFrom('profile').execute();
        if (exported.parts.length === 0) return;
        await trx
          .insertInto('profile')
          .values(
            exported.parts.map((part) => ({
              name: part.name,
              value: part.value,
              data: part.data_base64 === null ? null : Buffer.from(part.data_base64, 'base64'),
              updated_at: part.updated_at,
            })),
          )
          .execute();
      };
      // Inside a restore the caller's transaction holds every section; on its own, the import is one transaction.
      await (db.isTransaction ? replace(db) : db.transaction().execute(replace));
    },
  };
}

export type ProfileRepository = ReturnType<typeof createProfileRepository>;
