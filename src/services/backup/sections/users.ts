// Users with their password hashes as stored (scrypt: restoring them needs no password), roles and the forced
// first-login change. Tokens are not backed up: a restore ends every session (see replaceAll).
import type { Db } from '../../../db/database.js';
import { createUsersRepository, type UserRow } from '../../../db/repositories/users.js';
import { usernameProblem } from '../../../lib/credentials.js';
import { BUILT_IN_ADMIN } from '../../users.js';
import { isPlainObject, isTimestamp, type BackupSection } from '../section.js';

// "scrypt$N$r$p$salt$hash", as src/lib/secrets.ts writes it.
const PASSWORD_HASH = /^scrypt\$\d{1,8}\$\d{1,3}\$\d{1,3}\$[A-Za-z0-9+/]+={0,2}\$[A-Za-z0-9+/]+={0,2}$/;
const ROLES = ['ROLE_ADMIN', 'ROLE_USER'];
const MAX_USERS = 100_000;

export function usersSection(authenticator: { forgetAll(): void }): BackupSection<UserRow[]> {
  return {
    name: 'users',
    export: async (db: Db) => (await createUsersRepository(db).listAll()).map(toRow),
    check: usersProblem,
    import: (trx, users) => createUsersRepository(trx).replaceAll(users.map(toRow)),
    afterRestore: () => authenticator.forgetAll(),
  };
}

/** Only the columns, as numbers, whatever the driver returned. */
function toRow(user: UserRow): UserRow {
  return {
    username: user.username,
    password_hash: user.password_hash,
    role: user.role,
    must_change_password: Number(user.must_change_password),
    created_at: Number(user.created_at),
    updated_at: Number(user.updated_at),
  };
}

function usersProblem(value: unknown): string | null {
  if (!Array.isArray(value) || value.length > MAX_USERS) return `must be a list of at most ${MAX_USERS} users`;
  const seen = new Set<string>();
  for (const [index, user] of value.entries()) {
    const problem = userProblem(user);
    if (problem) return `[${index}] ${problem}`;
    const { username } = user as UserRow;
    if (seen.has(username)) return `[${index}] repeats the username ${username}`;
    seen.add(username);
  }
  const admin = value.find((user: UserRow) => user.username === BUILT_IN_ADMIN) as UserRow | undefined;
  if (admin?.role !== 'ROLE_ADMIN') return `has no built-in ${BUILT_IN_ADMIN} user with ROLE_ADMIN`;
  return null;
}

function userProblem(user: unknown): string | null {
  if (!isPlainObject(user)) return 'is not a user';
  if (typeof user.username !== 'string' || usernameProblem(user.username)) return 'has no valid username';
  if (typeof user.password_hash !== 'string' || !PASSWORD_HASH.test(user.password_hash))
    return `(${user.username}) has no valid password hash`;
  if (!ROLES.includes(user.role as string)) return `(${user.username}) has no valid role`;
  if (user.must_change_password !== 0 && user.must_change_password !== 1)
    return `(${user.username}) has no valid must_change_password`;
  if (!isTimestamp(user.created_at) || !isTimestamp(user.updated_at)) return `(${user.username}) has no valid times`;
  return null;
}
