// How the Authorization header is read and each route's policy enforced (docs/api/README.md#authentication-and-roles),
// on one node and a handful of routes; test/http/auth-security.test.ts walks every route. Found missing by the
// mutation run (README.md#mutation-testing).
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { API_KEY, startTestNode, suiteScope, type TestNode } from '../support/harness.js';
import { assertError } from '../support/assertions.js';

describe('the Authorization header', () => {
  const suite = suiteScope();
  let t: TestNode;
  let admin: string;
  let user: string;
  const get = (url: string, authorization?: string) =>
    t.request({ url, headers: authorization === undefined ? {} : { authorization } });

  before(async () => {
    t = await startTestNode(suite);
    admin = await t.adminToken();
    user = await t.userToken('carol1', 'Carol-Pass1!');
  });

  it('is required on a route that is not public', async () => {
    assertError(await get('/v1/support'), 401, 1005, 'missing Authorization header');
  });

  it('takes the scheme in any case', async () => {
    assert.equal((await get('/v1/support', `bearer ${user}`)).status, 200);
    assert.equal((await get('/v1/support', `BEARER ${user}`)).status, 200);
    assert.equal((await get('/v1/health', `apikey ${API_KEY}`)).status, 200);
  });

  it('refuses a scheme without its credential, and an unknown scheme', async () => {
    assertError(await get('/v1/support', 'Bearer'), 401, 1005, 'expected Authorization: Bearer <token>');
    assertError(await get('/v1/support', 'Bearer '), 401, 1005, 'expected Authorization: Bearer <token>');
    assertError(await get('/v1/support', `Token ${user}`), 401, 1005, 'expected Authorization: Bearer <token>');
  });

  it('refuses an unknown bearer token', async () => {
    assertError(await get('/v1/support', 'Bearer not-a-token'), 401, 1005, 'Invalid credentials.');
  });

  it('accepts the API key only on health, metrics and stats, and only the right one', async () => {
    assert.equal((await get('/v1/stats/app', `Apikey ${API_KEY}`)).status, 200);
    assertError(
      await get('/v1/support', `Apikey ${API_KEY}`),
      401,
      1005,
      'the API key is accepted only on health, metrics and stats',
    );
    assertError(await get('/v1/health', `Apikey ${API_KEY}x`), 401, 1005, 'Invalid credentials.');
    assertError(await get('/v1/health', 'Apikey'), 401, 1005, 'Invalid credentials.');
  });

  it('lets any user on a user route, and only an admin on an admin route', async () => {
    assert.equal((await get('/v1/support', `Bearer ${user}`)).status, 200);
    assertError(
      await get('/v1/settings/application', `Bearer ${user}`),
      403,
      1005,
      'this endpoint needs the ROLE_ADMIN role',
    );
    assert.equal((await get('/v1/settings/application', `Bearer ${admin}`)).status, 200);
    assertError(await get('/v1/settings/application', `Apikey ${API_KEY}`), 401, 1005);
  });

  it('is not asked for on a public route, nor on a path that does not exist', async () => {
    assert.equal((await get('/')).status, 200);
    assert.equal((await get('/v1/no-such-route')).status, 404);
  });
});

describe('the Authorization header on a node without an API key', () => {
  const suite = suiteScope();
  let t: TestNode;
  before(async () => {
    t = await startTestNode(suite, { env: { WA_API_KEY: '' } });
  });

  it('refuses every API key', async () => {
    assertError(
      await t.request({ url: '/v1/health', headers: { authorization: `Apikey ${API_KEY}` } }),
      401,
      1005,
      'Invalid credentials.',
    );
  });
});

describe('bad credentials and the anonymous rate limit', () => {
  const suite = suiteScope();
  let t: TestNode;
  before(async () => {
    t = await startTestNode(suite, { env: { WA_RATE_LIMIT_ANONYMOUS: '1/3' } });
  });

  it('draws a refused token from the anonymous bucket: 429 once it is empty', async () => {
    const refused = () => t.request({ url: '/v1/support', headers: { authorization: 'Bearer not-a-token' } });
    for (let i = 0; i < 3; i += 1) assert.equal((await refused()).status, 401);
    assertError(await refused(), 429, 1015);
  });
});
