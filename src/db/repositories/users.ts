import type { Db } from '../database.js';
import type { UsersTable } from '../schema.js';

export type UserRow = UsersTable;
export type Role = UsersTable['role'];

// 500 rows of 6 columns: 3,000 bound values a statement, far below SQLite's limit of 32,766.
const INSERT_CHUNK = 500;

export function createUsersRepository(db: Db) {
  return {
    find(username: string): Promise<UserRow | undefined> {
      return db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
    },

    /** False when the username is taken. */
    async insert(user: UserRow): Promise<boolean> {
      const result = await db
        .insertInto('users')
        .values(user)
        .onConflict((oc) => oc.column('username').doNothing())
        .executeTakeFirst();
      return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
    },

    /** Sets a new password and revokes every token of the user, in one transaction. Answers the revoked tokens' hashes. */
    async changePassword(username: string, passwordHash: string, now: number): Promise<string[]> {
      return db.transaction().execute(async (trx) => {
        await trx
          .updateTable('users')
          .set({ password_hash: passwordHash, must_change_password: 0, updated_at: now })
          .where('username', '=', username)
          .execute();
        return revokeTokens(trx, username);
      });
    },

    /** Deletes the user and (by cascade, and explicitly for clarity) its tokens: their hashes, or null if no such user. */
    async delete(username: string): Promise<string[] | null> {
      return db.transaction().execute(async (trx) => {
        const revoked = await revokeTokens(trx, username);
        const result = await trx.deleteFrom('users').where('username', '=', username).executeTakeFirst();
        return Number(result.numDeletedRows) === 1 ? revoked : null;
      });
    },

    list(): Promise<Pick<UserRow, 'username' | 'role'>[]> {
      return db.selectFrom('users').select(['username', 'role']).orderBy('username').execute();
    },

    /** Every user with its password hash as stored, for a backup. */
    listAll(): Promise<UserRow[]> {
      return db.selectFrom('users').selectAll().orderBy('username').execute();
    },

    /**
     * Replaces every user with `rows`, and deletes every token: sessions do not travel with a restore, and a user
     * whose password the restore changed must not keep the old one's sessions. Call inside a transaction.
     */
    async replaceAll(rows: UserRow[]): Promise<void> {
      await db.deleteFrom('auth_tokens').execute();
      await db.deleteFrom('users').execute();
      for (let i = 0; i < rows.length; i += INSERT_CHUNK)
        await db
          .insertInto('users')
          .values(rows.slice(i, i + INSERT_CHUNK))
          .execute();
    },

    async count(): Promise<number> {
      const row = await db
        .selectFrom('users')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },
  };
}

export type UsersRepository = ReturnType<typeof createUsersRepository>;

async function revokeTokens(db: Db, username: string): Promise<string[]> {
  const rows = await db.deleteFrom('auth_tokens').where('username', '=', username).returning('token_hash').execute();
  return rows.map((row) => row.token_hash);
}
