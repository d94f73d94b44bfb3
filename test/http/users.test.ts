// Users and login (docs/api/users-and-auth.md): login, first login of the built-in admin, logout, create, get, change,
// delete.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { ADMIN_PASSWORD, startAdminNode, startTestNode, suiteScope, type TestNode } from '../support/harness.js';
import { assertError } from '../support/assertions.js';

const DAY_MS = 24 * 60 * 60 * 1000;

async function tokenRows(t: TestNode, username: string): Promise<number> {
  const rows = await t.node.db.db
    .selectFrom('auth_tokens')
    .select('token_hash')
    .where('username', '=', username)
    .execute();
  return rows.length;
}

const health = (t: TestNode, token: string) => t.request({ url: '/v1/health', token }).then((r) => r.status);

describe('POST /v1/users/login', () => {
  let t: TestNode;
  const suite = suiteScope();
  before(async () => {
    t = await startTestNode(suite);
    await t.userToken('bob1', 'Bob-Pass1!');
  });

  it('answers a token that expires exactly 7 days after now', async () => {
    const response = await t.request({ method: 'POST', url: '/v1/users/login', basic: ['admin', ADMIN_PASSWORD] });
    assert.equal(response.status, 200, response.text);
    assert.deepEqual(Object.keys(response.body).sort(), ['meta', 'users']);
    assert.equal(response.body.users.length, 1);
    const { token, expires_after: expiresAfter } = response.body.users[0];
    assert.match(token, /^[A-Za-z0-9_-]{43,}$/);
    assert.match(expiresAfter, /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\+00:00$/);
    assert.equal(expiresAfter, '2026-01-12 12:00:00+00:00');
    assert.equal(Date.parse(expiresAfter.replace(' ', 'T')), t.clock.now() + 7 * DAY_MS);
    assert.equal(await health(t, token), 200);
  });

  it('each login gives a new token', async () => {
    const first = await t.login('bob1', 'Bob-Pass1!');
    const second = await t.login('bob1', 'Bob-Pass1!');
    assert.notEqual(first, second);
    assert.equal(await health(t, first), 200);
    assert.equal(await health(t, second), 200);
  });

  it('accepts Content-Type application/json with an empty body', async () => {
    const response = await t.request({
      method: 'POST',
      url: '/v1/users/login',
      basic: ['bob1', 'Bob-Pass1!'],
      payload: '',
      headers: { 'content-type': 'application/json' },
    });
    assert.equal(response.status, 200, response.text);
    assert.equal(typeof response.body.users[0].token, 'string');
  });

  it('refuses a wrong password and an unknown user alike with 401 / 1005', async () => {
    const wrong = await t.request({ method: 'POST', url: '/v1/users/login', basic: ['bob1', 'Bob-Pass2!'] });
    const unknown = await t.request({ method: 'POST', url: '/v1/users/login', basic: ['nobody', 'Bob-Pass1!'] });
    assertError(wrong, 401, 1005, 'Invalid credentials.');
    assertError(unknown, 401, 1005, 'Invalid credentials.');
    assert.deepEqual(wrong.body, unknown.body, 'the answer does not tell which usernames exist');
    assert.equal(wrong.body.users, undefined);
  });

  it('refuses a missing or non-Basic Authorization header with 401', async () => {
    assertError(await t.request({ method: 'POST', url: '/v1/users/login' }), 401, 1005, /Basic/);
    assertError(
      await t.request({ method: 'POST', url: '/v1/users/login', token: await t.adminToken() }),
      401,
      1005,
      /Basic/,
    );
    assertError(
      await t.request({ method: 'POST', url: '/v1/users/login', headers: { authorization: 'Basic !!!' } }),
      401,
      1005,
    );
    const noColon = Buffer.from('admin').toString('base64');
    assertError(
      await t.request({ method: 'POST', url: '/v1/users/login', headers: { authorization: `Basic ${noColon}` } }),
      401,
      1005,
      /username:password/,
    );
  });

  it('refuses an unknown body field with 400 / 1010', async () => {
    assertError(
      await t.request({
        method: 'POST',
        url: '/v1/users/login',
        basic: ['bob1', 'Bob-Pass1!'],
        body: { password: 'x' },
      }),
      400,
      1010,
    );
  });

  it('new_password rotates the password and revokes the old tokens', async () => {
    const old = await t.login('bob1', 'Bob-Pass1!');
    assert.ok((await tokenRows(t, 'bob1')) >= 2);
    const weak = await t.request({
      method: 'POST',
      url: '/v1/users/login',
      basic: ['bob1', 'Bob-Pass1!'],
      body: { new_password: 'weak' },
    });
    assertError(weak, 400, 1009, /new_password/);
    assert.equal(await health(t, old), 200, 'a refused rotation changes nothing');

    const rotated = await t.request({
      method: 'POST',
      url: '/v1/users/login',
      basic: ['bob1', 'Bob-Pass1!'],
      body: { new_password: 'Bob-Pass2!' },
    });
    assert.equal(rotated.status, 200, rotated.text);
    const fresh = rotated.body.users[0].token as string;
    assertError(
      await t.request({ url: '/v1/health', token: old }),
      401,
      1005,
      "Token revoked: its user's password was changed or the user was deleted; log in again",
    );
    assert.equal(await health(t, fresh), 200);
    assert.equal(await tokenRows(t, 'bob1'), 1);
    assertError(await t.request({ method: 'POST', url: '/v1/users/login', basic: ['bob1', 'Bob-Pass1!'] }), 401, 1005);
    assert.equal(
      (await t.request({ method: 'POST', url: '/v1/users/login', basic: ['bob1', 'Bob-Pass2!'] })).status,
      200,
    );
  });
});

describe('first login of the built-in admin without WA_ADMIN_PASSWORD', () => {
  let t: TestNode;
  const suite = suiteScope();
  before(async () => {
    t = await startTestNode(suite, { env: { WA_ADMIN_PASSWORD: '' } });
  });

  it('must change the default password `secret` before getting a token', async () => {
    const login = (body?: unknown) =>
      t.request({ method: 'POST', url: '/v1/users/login', basic: ['admin', 'secret'], ...(body ? { body } : {}) });
    assertError(await login(), 401, 1024);
    assert.equal(await tokenRows(t, 'admin'), 0);
    assertError(await login({ new_password: 'password' }), 400, 1009, /new_password/);
    assertError(await login({ new_password: 'secret' }), 400, 1009);
    assertError(await login(), 401, 1024, undefined);

    const changed = await login({ new_password: 'New-Admin1!' });
    assert.equal(changed.status, 200, changed.text);
    assert.equal(await health(t, changed.body.users[0].token), 200);
    assertError(await login(), 401, 1005, 'Invalid credentials.');
    assert.equal(
      (await t.request({ method: 'POST', url: '/v1/users/login', basic: ['admin', 'New-Admin1!'] })).status,
      200,
    );
    const row = await t.node.db.db
      .selectFrom('users')
      .select('must_change_password')
      .where('username', '=', 'admin')
      .executeTakeFirst();
    assert.equal(Number(row?.must_change_password), 0);
  });
});

describe('POST /v1/users/logout', () => {
  let t: TestNode;
  const suite = suiteScope();
  before(async () => {
    t = await startTestNode(suite);
  });

  it('revokes only the presented token', async () => {
    const first = await t.userToken('carol', 'Carol-Pass1!');
    const second = await t.login('carol', 'Carol-Pass1!');
    const response = await t.request({ method: 'POST', url: '/v1/users/logout', token: first });
    assert.equal(response.status, 200, response.text);
    assert.deepEqual(Object.keys(response.body), ['meta']);
    assertError(
      await t.request({ url: '/v1/health', token: first }),
      401,
      1005,
      'Token revoked: it was logged out; log in again',
    );
    assert.equal(await health(t, second), 200);
    assert.equal(await tokenRows(t, 'carol'), 1);
    assertError(await t.request({ method: 'POST', url: '/v1/users/logout', token: first }), 401, 1005, /logged out/);
    assertError(await t.request({ url: '/v1/health', token: 'never-issued' }), 401, 1005, 'Invalid credentials.');
  });

  it('accepts Content-Type application/json with an empty body', async () => {
    const token = await t.login('carol', 'Carol-Pass1!');
    const response = await t.request({
      method: 'POST',
      url: '/v1/users/logout',
      token,
      payload: '',
      headers: { 'content-type': 'application/json' },
    });
    assert.equal(response.status, 200, response.text);
    assert.equal(await health(t, token), 401);
  });
});

describe('user management', () => {
  let t: TestNode;
  let admin: string;
  const suite = suiteScope();
  before(async () => ({ t, admin } = await startAdminNode(suite)));

  const create = (body: unknown, token = admin) => t.request({ method: 'POST', url: '/v1/users', token, body });

  it('POST /v1/users creates a ROLE_USER account: 201 {"users":[{"username"}]}', async () => {
    const response = await create({ username: 'dave', password: 'Dave-Pass1!' });
    assert.equal(response.status, 201, response.text);
    assert.deepEqual(response.body.users, [{ username: 'dave' }]);
    assert.equal(
      (await t.request({ method: 'POST', url: '/v1/users/login', basic: ['dave', 'Dave-Pass1!'] })).status,
      200,
    );
  });

  it('a duplicate is 500 / 1014 "Unable to create user. Already exist?"', async () => {
    assertError(
      await create({ username: 'dave', password: 'Other-Pass1!' }),
      500,
      1014,
      'Unable to create user. Already exist?',
    );
    assertError(
      await create({ username: 'admin', password: 'Other-Pass1!' }),
      500,
      1014,
      'Unable to create user. Already exist?',
    );
    assert.equal(
      (await t.request({ method: 'POST', url: '/v1/users/login', basic: ['dave', 'Dave-Pass1!'] })).status,
      200,
      'the first password stays',
    );
  });

  it('usernames must be 4 to 32 characters', async () => {
    assertError(await create({ username: 'abc', password: 'Good-Pass1!' }), 400, 1009, /username/);
    assertError(await create({ username: 'a'.repeat(33), password: 'Good-Pass1!' }), 400, 1009, /username/);
    assertError(await create({ username: 'bad:name', password: 'Good-Pass1!' }), 400, 1009, /username/);
    assert.equal((await create({ username: 'abcd', password: 'Good-Pass1!' })).status, 201);
    assert.equal((await create({ username: 'b'.repeat(32), password: 'Good-Pass1!' })).status, 201);
  });

  it('passwords must follow every rule of the old API', async () => {
    const refused = {
      'Sh0rt!a': /8 to 64/,
      [`Aa1!${'x'.repeat(61)}`]: /8 to 64/,
      'No-Digits!': /digit/,
      'no-upper1!': /upper-case/,
      'NO-LOWER1!': /lower-case/,
      NoSpecial12: /one of/,
    };
    for (const [password, problem] of Object.entries(refused)) {
      assertError(await create({ username: 'erin', password }), 400, 1009, problem);
    }
    assert.equal(
      (await t.request({ method: 'GET', url: '/v1/users/erin', token: admin })).status,
      404,
      'nothing was created',
    );
    assert.equal(
      (await create({ username: 'erin', password: `Aa1!${'x'.repeat(60)}` })).status,
      201,
      '64 characters is fine',
    );
  });

  it('a password breaking several rules is refused with every broken rule in one answer', async () => {
    assertError(
      await create({ username: 'gina', password: 'weak' }),
      400,
      1009,
      'password must be 8 to 64 characters long; must contain a digit; must contain an upper-case letter; must contain one of !"#$%&\'()*+,-./:;<=>?@[]^_`{|}~',
    );
  });

  it('a missing field is 400 / 1008 and an extra one 400 / 1010', async () => {
    assertError(await create({ username: 'frank' }), 400, 1008, /password/);
    assertError(await create({ password: 'Frank-Pass1!' }), 400, 1008, /username/);
    assertError(await t.request({ method: 'POST', url: '/v1/users', token: admin }), 400, 1008);
    assertError(await create({ username: 'frank', password: 'Frank-Pass1!', role: 'ROLE_ADMIN' }), 400, 1010, /role/);
    assertError(await create({ username: 'frank', password: 12345678 }), 400, 1009, /password/);
  });

  it('GET /v1/users/{username} answers the upper-case ROLES key, 404 / 1006 for an unknown user', async () => {
    const dave = await t.request({ url: '/v1/users/dave', token: admin });
    assert.equal(dave.status, 200, dave.text);
    assert.deepEqual(dave.body.users, [{ ROLES: 'ROLE_USER', username: 'dave' }]);
    const self = await t.request({ url: '/v1/users/admin', token: admin });
    assert.deepEqual(self.body.users, [{ ROLES: 'ROLE_ADMIN', username: 'admin' }]);
    assertError(await t.request({ url: '/v1/users/nobody', token: admin }), 404, 1006);
  });

  it('GET /x/v1/users/me answers the caller in the same shape, to any user, and refuses the API key', async () => {
    const self = await t.request({ url: '/x/v1/users/me', token: admin });
    assert.deepEqual(self.body, {
      users: [{ username: 'admin', ROLES: 'ROLE_ADMIN' }],
      meta: { api_status: 'experimental', version: 'v2.53.0' },
    });
    const dave = await t.request({ url: '/x/v1/users/me', token: await t.login('dave', 'Dave-Pass1!') });
    assert.deepEqual(dave.body.users, [{ username: 'dave', ROLES: 'ROLE_USER' }]);
    assertError(await t.request({ url: '/x/v1/users/me', apiKey: 'test-api-key-0123456789' }), 401, 1005);
    assertError(await t.request({ url: '/x/v1/users/me' }), 401, 1005);
  });

  it("a ROLE_USER may change its own password, not another user's", async () => {
    const gina = await t.userToken('gina', 'Gina-Pass1!');
    const other = await t.login('gina', 'Gina-Pass1!');
    const put = (name: string, password: string, token: string) =>
      t.request({ method: 'PUT', url: `/v1/users/${name}`, token, body: { password } });
    assertError(await put('dave', 'Hacked-Pass1!', gina), 403, 1005);
    assertError(await put('admin', 'Hacked-Pass1!', gina), 403, 1005);
    assertError(await put('nobody', 'Hacked-Pass1!', gina), 403, 1005);
    assert.equal(
      (await t.request({ method: 'POST', url: '/v1/users/login', basic: ['dave', 'Dave-Pass1!'] })).status,
      200,
    );

    assertError(await put('gina', 'weak', gina), 400, 1009, /password/);
    assertError(
      await t.request({ method: 'PUT', url: '/v1/users/gina', token: gina, body: {} }),
      400,
      1008,
      /password/,
    );
    const changed = await put('gina', 'Gina-Pass2!', gina);
    assert.equal(changed.status, 200, changed.text);
    assert.deepEqual(changed.body.users, [{ username: 'gina' }]);
    assert.equal(await health(t, gina), 401, "changing a password revokes the user's tokens, including this one");
    assert.equal(await health(t, other), 401);
    assert.equal(await tokenRows(t, 'gina'), 0);
    assert.equal(
      (await t.request({ method: 'POST', url: '/v1/users/login', basic: ['gina', 'Gina-Pass2!'] })).status,
      200,
    );
  });

  it("an admin may change anyone's password, which revokes that user's tokens only", async () => {
    const dave = await t.login('dave', 'Dave-Pass1!');
    const response = await t.request({
      method: 'PUT',
      url: '/v1/users/dave',
      token: admin,
      body: { password: 'Dave-Pass2!' },
    });
    assert.equal(response.status, 200, response.text);
    assert.deepEqual(response.body.users, [{ username: 'dave' }]);
    assertError(
      await t.request({ url: '/v1/health', token: dave }),
      401,
      1005,
      "Token revoked: its user's password was changed or the user was deleted; log in again",
    );
    assert.equal(await tokenRows(t, 'dave'), 0);
    assert.equal(await health(t, admin), 200, "the admin's own token is untouched");
    assert.equal(
      (await t.request({ method: 'POST', url: '/v1/users/login', basic: ['dave', 'Dave-Pass2!'] })).status,
      200,
    );
    assertError(
      await t.request({ method: 'PUT', url: '/v1/users/nobody', token: admin, body: { password: 'Some-Pass1!' } }),
      404,
      1006,
    );
  });

  it('DELETE /v1/users/{username} removes the user and its tokens at once', async () => {
    const token = await t.userToken('henry', 'Henry-Pass1!');
    assert.equal(await health(t, token), 200, 'the token is validated and cached');
    const response = await t.request({ method: 'DELETE', url: '/v1/users/henry', token: admin });
    assert.equal(response.status, 200, response.text);
    assert.deepEqual(response.body.users, [{ username: 'henry' }]);
    // Refused at once on this node, without waiting for the cache.
    assertError(
      await t.request({ url: '/v1/health', token }),
      401,
      1005,
      "Token revoked: its user's password was changed or the user was deleted; log in again",
    );
    assert.equal(await tokenRows(t, 'henry'), 0);
    assertError(await t.request({ url: '/v1/users/henry', token: admin }), 404, 1006);
    assertError(await t.request({ method: 'DELETE', url: '/v1/users/henry', token: admin }), 404, 1006);
    assert.equal((await create({ username: 'henry', password: 'Henry-Pass2!' })).status, 201, 'the name is free again');
  });

  it('the built-in admin cannot be deleted', async () => {
    assertError(await t.request({ method: 'DELETE', url: '/v1/users/admin', token: admin }), 400, 1009, /admin/);
    assert.equal(await health(t, admin), 200);
    assert.equal((await t.request({ url: '/v1/users/admin', token: admin })).status, 200);
  });
});
