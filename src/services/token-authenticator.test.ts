// The token authenticator on its own, over an in-memory token table: what it caches, for how long, and what it
// answers for an expired, logged-out or revoked token (docs/api/users-and-auth.md#tokens). The same behaviour
// through HTTP and a real database: test/http/auth-security.test.ts and users.test.ts.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AuthTokensRepository, TokenOwner } from '../db/repositories/auth-tokens.js';
import { hashToken } from '../lib/secrets.js';
import { ManualClock } from '../../test/support/clock.js';
import { createTokenAuthenticator, type TokenAnnounce } from './token-authenticator.js';

const CACHE_MS = 5000;
const TOKEN = 'token-of-alice';

/** The auth_tokens table in memory, counting the lookups that would have reached the database. */
function memoryTokens(clock: ManualClock) {
  const rows = new Map<string, TokenOwner>([
    [hashToken(TOKEN), { username: 'alice', role: 'ROLE_USER', expires_at: clock.now() + 60_000 }],
  ]);
  let lookups = 0;
  const repository = {
    insert: async () => {},
    findOwner: async (tokenHash: string) => {
      lookups += 1;
      return rows.get(tokenHash);
    },
    delete: async (tokenHash: string) => void rows.delete(tokenHash),
    count: async () => rows.size,
  } satisfies AuthTokensRepository;
  return { repository, rows, lookups: () => lookups };
}

function setUp(cacheMs = CACHE_MS) {
  const clock = new ManualClock();
  const table = memoryTokens(clock);
  const announced: Parameters<TokenAnnounce>[] = [];
  const authenticator = createTokenAuthenticator(table.repository, clock, cacheMs, (...notice) =>
    announced.push(notice),
  );
  return { clock, table, announced, authenticator };
}

describe('token authenticator', () => {
  it('answers the owner of a valid token, and an unknown token as invalid credentials', async () => {
    const { authenticator } = setUp();
    assert.deepEqual(await authenticator.authenticate(TOKEN), {
      kind: 'user',
      username: 'alice',
      role: 'ROLE_USER',
      tokenHash: hashToken(TOKEN),
    });
    assert.deepEqual(await authenticator.authenticate('nobody'), { kind: 'refused', details: 'Invalid credentials.' });
  });

  it('serves a token from its cache for cacheMs, then reads the table again', async () => {
    const { authenticator, table, clock } = setUp();
    await authenticator.authenticate(TOKEN);
    clock.advance(CACHE_MS);
    await authenticator.authenticate(TOKEN);
    assert.equal(table.lookups(), 1);
    clock.advance(1);
    await authenticator.authenticate(TOKEN);
    assert.equal(table.lookups(), 2);
  });

  it('with cacheMs 1 still caches, for that millisecond', async () => {
    const { authenticator, table } = setUp(1);
    await authenticator.authenticate(TOKEN);
    await authenticator.authenticate(TOKEN);
    assert.equal(table.lookups(), 1);
  });

  it('with cacheMs 0 reads the table on every request', async () => {
    const { authenticator, table } = setUp(0);
    await authenticator.authenticate(TOKEN);
    await authenticator.authenticate(TOKEN);
    assert.equal(table.lookups(), 2);
  });

  it('refuses a token at its expiry instant, deletes its row and remembers why', async () => {
    const { authenticator, table, clock } = setUp();
    const expiresAt = table.rows.get(hashToken(TOKEN))!.expires_at;
    clock.advance(expiresAt - clock.now() - 1);
    assert.equal((await authenticator.authenticate(TOKEN)).kind, 'user', 'valid one millisecond before');
    clock.advance(1);
    const refusal = await authenticator.authenticate(TOKEN);
    assert.equal(refusal.kind, 'refused');
    assert.match(
      (refusal as { details: string }).details,
      /^Token expired at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d\+00:00; log in again$/,
    );
    assert.equal(table.rows.size, 0);
    assert.deepEqual(await authenticator.authenticate(TOKEN), refusal, 'the reason outlives the row');
  });

  it('a logout refuses the token at once, says so, and tells the other nodes', async () => {
    const { authenticator, announced } = setUp();
    await authenticator.authenticate(TOKEN);
    authenticator.forgetToken(hashToken(TOKEN));
    assert.deepEqual(await authenticator.authenticate(TOKEN), {
      kind: 'refused',
      details: 'Token revoked: it was logged out; log in again',
    });
    assert.deepEqual(announced, [['token', hashToken(TOKEN)]]);
  });

  it("a password change drops only that user's cached tokens and tells the other nodes", async () => {
    const { authenticator, table, announced } = setUp();
    table.rows.set(hashToken('token-of-bob'), {
      username: 'bob',
      role: 'ROLE_ADMIN',
      expires_at: Number.MAX_SAFE_INTEGER,
    });
    await authenticator.authenticate(TOKEN);
    await authenticator.authenticate('token-of-bob');
    authenticator.forgetUser('alice');
    assert.match(
      ((await authenticator.authenticate(TOKEN)) as { details: string }).details,
      /password was changed or the user was deleted/,
    );
    assert.equal((await authenticator.authenticate('token-of-bob')).kind, 'user');
    assert.deepEqual(announced, [['user', 'alice']]);
  });

  it('a user change names the revoked tokens this node never cached as revoked too', async () => {
    const { authenticator, table } = setUp();
    table.rows.clear();
    authenticator.forgetUser('alice', [hashToken(TOKEN)]);
    assert.match(((await authenticator.authenticate(TOKEN)) as { details: string }).details, /^Token revoked/);
  });

  it('forgetAll drops every cached token and asks the other nodes to do the same', async () => {
    const { authenticator, table, announced } = setUp();
    await authenticator.authenticate(TOKEN);
    authenticator.forgetAll();
    table.rows.clear();
    assert.deepEqual(await authenticator.authenticate(TOKEN), { kind: 'refused', details: 'Invalid credentials.' });
    assert.deepEqual(announced, [['users']]);
  });

  it("another node's notice evicts without announcing again", async () => {
    const { authenticator, table, announced } = setUp();
    await authenticator.authenticate(TOKEN);
    authenticator.evictUser('alice');
    table.rows.clear();
    assert.equal((await authenticator.authenticate(TOKEN)).kind, 'refused');
    assert.deepEqual(announced, []);
  });
});
