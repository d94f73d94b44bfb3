// Users, passwords and login (docs/api/users-and-auth.md, docs/api/README.md#authentication-and-roles).
import type { AuthTokensRepository } from '../db/repositories/auth-tokens.js';
import type { Role, UsersRepository } from '../db/repositories/users.js';
import type { Logger } from 'pino';
import type { Clock } from '../lib/clock.js';
import { fail, ok, type Result } from '../lib/result.js';
import { passwordProblem, usernameProblem } from '../lib/credentials.js';
import { generateToken, hashPassword, hashToken, verifyPassword } from '../lib/secrets.js';
import type { LoginThrottle } from './login-throttle.js';
import { isAdmin, type Principal } from './principal.js';
import { formatExpiry, TOKEN_LIFETIME_MS, type TokenAuthenticator } from './token-authenticator.js';

export const BUILT_IN_ADMIN = 'admin';
const DEFAULT_ADMIN_PASSWORD = 'secret';

export interface LoginRequest {
  username: string;
  password: string;
  newPassword?: string;
  clientAddress: string;
}

export interface IssuedToken {
  token: string;
  expires_after: string;
}

// Compared against when the username does not exist, so that a wrong username costs as much time as a wrong
// password and does not reveal which usernames exist.
const UNKNOWN_USER_HASH = hashPassword('openprem-unknown-user');

export interface UsersServiceDeps {
  users: UsersRepository;
  tokens: AuthTokensRepository;
  authenticator: TokenAuthenticator;
  throttle: LoginThrottle;
  clock: Clock;
  /** Failed logins (info) and lock-outs (warn), never with the password tried. */
  log?: Pick<Logger, 'info' | 'warn'>;
}

export function createUsersService({ users, tokens, authenticator, throttle, clock, log }: UsersServiceDeps) {
  async function issueToken(username: string): Promise<IssuedToken> {
    const token = generateToken();
    const now = clock.now();
    const expiresAt = now + TOKEN_LIFETIME_MS;
    await tokens.insert({ token_hash: hashToken(token), username, created_at: now, expires_at: expiresAt });
    return { token, expires_after: formatExpiry(expiresAt) };
  }

  return {
    async login({ username, password, newPassword, clientAddress }: LoginRequest): Promise<Result<IssuedToken>> {
      const waitMs = throttle.waitMs(username, clientAddress);
      if (waitMs > 0)
        return fail('tooManyRequests', 'too many failed logins; try again later', Math.ceil(waitMs / 1000));
      const user = await users.find(username);
      const matches = await verifyPassword(password, user?.password_hash ?? (await UNKNOWN_USER_HASH));
      if (!user || !matches) {
        const { lockedForMs, failures } = throttle.recordFailure(username, clientAddress);
        const who = { username, address: clientAddress, knownUser: user !== undefined, failures };
        log?.info(who, 'login failed');
        // Logged each time a lock-out starts or doubles, not for each login refused while it lasts (those are 429s).
        if (lockedForMs > 0) log?.warn({ ...who, lockedForMs }, 'login locked out after repeated failures');
        return fail('unauthenticated', 'Invalid credentials.');
      }
      throttle.recordSuccess(username, clientAddress);
      if (newPassword === undefined) {
        if (user.must_change_password === 1) {
          return fail(
            'passwordChangeRequired',
            'the password must be changed at first login: send {"new_password": "..."}',
          );
        }
        return ok(await issueToken(username));
      }
      const problem = passwordProblem(newPassword);
      if (problem) return fail('invalidParameter', `new_password ${problem}`);
      if (newPassword === password)
        return fail('invalidParameter', 'new_password must differ from the current password');
      authenticator.forgetUser(
        username,
        await users.changePassword(username, await hashPassword(newPassword), clock.now()),
      );
      log?.info({ username, address: clientAddress }, 'password changed at login');
      return ok(await issueToken(username));
    },

    async logout(principal: Principal): Promise<void> {
      if (principal.kind !== 'user') return;
      // Delete first, then evict: evicting first would let a request in between re-cache the token from its row.
      await tokens.delete(principal.tokenHash);
      authenticator.forgetToken(principal.tokenHash);
    },

    async create(username: string, password: string, role: Role = 'ROLE_USER'): Promise<Result<{ username: string }>> {
      const nameProblem = usernameProblem(username);
      if (nameProblem) return fail('invalidParameter', `username ${nameProblem}`);
      const problem = passwordProblem(password);
      if (problem) return fail('invalidParameter', `password ${problem}`);
      const now = clock.now();
      const inserted = await users.insert({
        username,
        password_hash: await hashPassword(password),
        role,
        must_change_password: 0,
        created_at: now,
        updated_at: now,
      });
      // The old API answered a duplicate with 500 / 1014 and this exact text; clients match on it.
      if (!inserted) return fail('internal', 'Unable to create user. Already exist?');
      return ok({ username });
    },

    async get(username: string): Promise<Result<{ username: string; ROLES: Role }>> {
      const user = await users.find(username);
      if (!user) return fail('notFound', `user ${username} does not exist`);
      return ok({ username: user.username, ROLES: user.role });
    },

    async changePassword(actor: Principal, username: string, password: string): Promise<Result<{ username: string }>> {
      const self = actor.kind === 'user' && actor.username === username;
      if (!self && !isAdmin(actor)) return fail('forbidden', 'a user may change only its own password');
      const user = await users.find(username);
      if (!user) return fail('notFound', `user ${username} does not exist`);
      const problem = passwordProblem(password);
      if (problem) return fail('invalidParameter', `password ${problem}`);
      authenticator.forgetUser(
        username,
        await users.changePassword(username, await hashPassword(password), clock.now()),
      );
      return ok({ username });
    },

    async delete(username: string): Promise<Result<{ username: string }>> {
      if (username === BUILT_IN_ADMIN) return fail('invalidParameter', 'the built-in admin user cannot be deleted');
      const revokedTokens = await users.delete(username);
      if (revokedTokens === null) return fail('notFound', `user ${username} does not exist`);
      authenticator.forgetUser(username, revokedTokens);
      return ok({ username });
    },

    /** True while the built-in admin still has the On-Prem default password (start-up says how to log in). */
    async firstLoginPending(): Promise<boolean> {
      return (await users.find(BUILT_IN_ADMIN))?.must_change_password === 1;
    },

    /**
     * Creates the built-in admin on first start: with WA_ADMIN_PASSWORD when given, else with the On-Prem
     * default `secret`, which must be changed at the first login. An existing admin is left as it is.
     */
    async ensureBuiltInAdmin(initialPassword: string | null): Promise<void> {
      if (await users.find(BUILT_IN_ADMIN)) return;
      const now = clock.now();
      await users.insert({
        username: BUILT_IN_ADMIN,
        password_hash: await hashPassword(initialPassword ?? DEFAULT_ADMIN_PASSWORD),
        role: 'ROLE_ADMIN',
        must_change_password: initialPassword === null ? 1 : 0,
        created_at: now,
        updated_at: now,
      });
    },
  };
}

export type UsersService = ReturnType<typeof createUsersService>;
