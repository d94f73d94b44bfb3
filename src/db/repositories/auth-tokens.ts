import type { Db } from '../database.js';
import type { AuthTokensTable, UsersTable } from '../schema.js';

export interface TokenOwner {
  username: string;
  role: UsersTable['role'];
  expires_at: number;
}

export function createAuthTokensRepository(db: Db) {
  return {
    async insert(token: AuthTokensTable): Promise<void> {
      await db.insertInto('auth_tokens').values(token).execute();
    },

    findOwner(tokenHash: string): Promise<TokenOwner | undefined> {
      return db
        .selectFrom('auth_tokens')
        .innerJoin('users', 'users.username', 'auth_tokens.username')
        .select(['users.username', 'users.role', 'auth_tokens.expires_at'])
        .where('auth_tokens.token_hash', '=', tokenHash)
        .executeTakeFirst();
    },

    async delete(tokenHash: string): Promise<void> {
      await db.deleteFrom('auth_tokens').where('token_hash', '=', tokenHash).execute();
    },

    async count(): Promise<number> {
      const row = await db
        .selectFrom('auth_tokens')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },
  };
}

export type AuthTokensRepository = ReturnType<typeof createAuthTokensRepository>;
