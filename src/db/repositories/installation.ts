import type { Db } from '../database.js';
import type { InstallationTable } from '../schema.js';

export type Gateway = InstallationTable['gateway'];

const ID = 1;

export function createInstallationRepository(db: Db) {
  return {
    async lastGateway(): Promise<Gateway | undefined> {
      const row = await db.selectFrom('installation').select('gateway').where('id', '=', ID).executeTakeFirst();
      return row?.gateway;
    },

    /**
     * Records `gateway` if the row still says `expected` (undefined: if there is no row yet). False when another node
     * starting at the same time recorded it first: that node reports the change.
     */
    async recordGateway(expected: Gateway | undefined, gateway: Gateway, now: number): Promise<boolean> {
      if (expected === undefined) {
        const inserted = await db
          .insertInto('installation')
          .values({ id: ID, gateway, updated_at: now })
          .onConflict((oc) => oc.column('id').doNothing())
          .executeTakeFirst();
        return Number(inserted.numInsertedOrUpdatedRows ?? 0) === 1;
      }
      const updated = await db
        .updateTable('installation')
        .set({ gateway, updated_at: now })
        .where('id', '=', ID)
        .where('gateway', '=', expected)
        .executeTakeFirst();
      return Number(updated.numUpdatedRows) === 1;
    },
  };
}

export type InstallationRepository = ReturnType<typeof createInstallationRepository>;
