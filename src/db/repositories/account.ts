import type { Db } from '../database.js';
import type { AccountTable } from '../schema.js';

export type AccountRow = AccountTable;

/** The one row's key: the table holds the registration of the one business number this installation serves. */
const ID = 1;

/** What a code request writes: the number, how the code travels, the certificate and the code itself. */
export type CodeRequest = Pick<
  AccountRow,
  'cc' | 'phone_number' | 'method' | 'vname' | 'cert' | 'code' | 'code_expires_at'
>;

/**
 * Every change is one conditional UPDATE on the expected state, so that two nodes acting at once (two verifies, a
 * verify and a new code request) cannot both win: the loser sees `false`, re-reads and answers from what it finds.
 */
export function createAccountRepository(db: Db) {
  return {
    read(): Promise<AccountRow | undefined> {
      return db.selectFrom('account').selectAll().where('id', '=', ID).executeTakeFirst();
    },

    /** The first start's row; a row already written (by another node, or an earlier start) is kept. True if written. */
    async insertIfAbsent(row: Omit<AccountRow, 'id'>): Promise<boolean> {
      const result = await db
        .insertInto('account')
        .values({ ...row, id: ID })
        .onConflict((oc) => oc.column('id').doNothing())
        .executeTakeFirst();
      return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
    },

    /** A new code replaces any earlier one (and its attempts). False when the number got registered meanwhile. */
    async requestCode(request: CodeRequest, now: number): Promise<boolean> {
      const result = await db
        .updateTable('account')
        .set({ ...request, state: 'pending', code_attempts: 0, updated_at: now })
        .where('id', '=', ID)
        .where('state', '<>', 'registered')
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },

    /** Counts a wrong guess against the code the caller read; the last allowed guess voids the code. */
    async recordWrongCode(code: string, attemptsBefore: number, maxAttempts: number, now: number): Promise<void> {
      const attempts = attemptsBefore + 1;
      const voided = attempts >= maxAttempts;
      await db
        .updateTable('account')
        .set({
          code_attempts: attempts,
          updated_at: now,
          ...(voided ? { state: 'unregistered', code: null, code_expires_at: null } : {}),
        })
        .where('id', '=', ID)
        .where('state', '=', 'pending')
        .where('code', '=', code)
        .where('code_attempts', '=', attemptsBefore)
        .execute();
    },

    /** The right code: registered from now, connected from `connectedAt`. False when the code changed meanwhile. */
    async completeRegistration(code: string, now: number, connectedAt: number): Promise<boolean> {
      const result = await db
        .updateTable('account')
        .set({
          state: 'registered',
          code: null,
          code_expires_at: null,
          code_attempts: 0,
          registered_at: now,
          connected_at: connectedAt,
          updated_at: now,
        })
        .where('id', '=', ID)
        .where('state', '=', 'pending')
        .where('code', '=', code)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },

    async setShards(shards: number, now: number): Promise<void> {
      await db.updateTable('account').set({ shards, updated_at: now }).where('id', '=', ID).execute();
    },

    /** Replaces the row whatever it held (a restore, inside its transaction). */
    async replace(row: Omit<AccountRow, 'id'>): Promise<void> {
      await db.deleteFrom('account').where('id', '=', ID).execute();
      await db
        .insertInto('account')
        .values({ ...row, id: ID })
        .execute();
    },
  };
}

export type AccountRepository = ReturnType<typeof createAccountRepository>;
