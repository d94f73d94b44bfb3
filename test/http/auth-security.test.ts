// Access control of every route, token expiry and storage, and the token cache across nodes
// (docs/api/README.md#authentication-and-roles, docs/api/users-and-auth.md#tokens). Login throttling:
// login-throttle.test.ts.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { formatExpiry } from '../../src/services/token-authenticator.js';
import { buildVerifiedNameCert } from '../../src/lib/verified-name-cert.js';
import { REMOVED_ENDPOINTS } from '../../src/http/routes/v1/legacy.removed.js';
import {
  ADMIN_PASSWORD,
  eventually,
  startNodePair,
  startTestNode,
  suiteScope,
  type TestNode,
} from '../support/harness.js';
import { assertError } from '../support/assertions.js';
import { checkRouteSecurity, servedRoutes, type RouteCase } from '../support/security.js';

const DAY_MS = 24 * 60 * 60 * 1000;
const USER = 'alice';
const USER_PASSWORD = 'Alice-Pass1!';

// Every route the app has, with its policy and what a caller who is let through gets.
const ROUTES: RouteCase[] = [
  { method: 'GET', pattern: '/', url: '/', access: 'public', expect: 200 },
  // The web console's page and files: public, the page holds no data (test/http/console.test.ts).
  { method: 'GET', pattern: '/console', url: '/console', access: 'public', expect: 200 },
  { method: 'GET', pattern: '/console/*', url: '/console/app.js', access: 'public', expect: 200 },
  // The API's description and the page that shows it (test/http/openapi.test.ts).
  { method: 'GET', pattern: '/openapi.json', url: '/openapi.json', access: 'public', expect: 200 },
  { method: 'GET', pattern: '/openapi.yaml', url: '/openapi.yaml', access: 'public', expect: 200 },
  { method: 'GET', pattern: '/docs', url: '/docs', access: 'public', expect: 200 },
  { method: 'GET', pattern: '/docs/:file', url: '/docs/swagger-initializer.js', access: 'public', expect: 200 },
  {
    method: 'POST',
    pattern: '/v1/users/login',
    url: '/v1/users/login',
    basic: ['admin', ADMIN_PASSWORD],
    access: 'public',
    expect: 200,
  },
  { method: 'POST', pattern: '/v1/users/logout', url: '/v1/users/logout', access: 'user', expect: 200 },
  {
    method: 'POST',
    pattern: '/v1/users',
    url: '/v1/users',
    body: { username: 'created1', password: 'Created-Pass1!' },
    access: 'admin',
    expect: 201,
  },
  { method: 'GET', pattern: '/v1/users/:username', url: `/v1/users/${USER}`, access: 'admin', expect: 200 },
  {
    method: 'PUT',
    pattern: '/v1/users/:username',
    url: `/v1/users/${USER}`,
    body: { password: USER_PASSWORD },
    access: 'user',
    expect: 200,
  },
  { method: 'DELETE', pattern: '/v1/users/:username', url: '/v1/users/nobody99', access: 'admin', expect: 404 },
  {
    method: 'POST',
    pattern: '/v1/contacts',
    url: '/v1/contacts',
    body: { blocking: 'wait', contacts: ['+16315551000'] },
    access: 'user',
    expect: 200,
  },
  {
    method: 'POST',
    pattern: '/v1/messages',
    url: '/v1/messages',
    body: { to: '16315551000', text: { body: 'hi' } },
    access: 'user',
    expect: 201,
  },
  {
    method: 'PUT',
    pattern: '/v1/messages/:id',
    url: '/v1/messages/wamid.unknown',
    body: { status: 'read' },
    access: 'user',
    expect: 404,
  },
  { method: 'POST', pattern: '/v1/media', url: '/v1/media', body: { a: 'JSON document' }, access: 'user', expect: 201 },
  {
    method: 'GET',
    pattern: '/v1/media/:id',
    url: '/v1/media/f043afd0-f0ae-4b9c-ab3d-696fb4c8cd68',
    access: 'user',
    expect: 404,
  },
  {
    method: 'DELETE',
    pattern: '/v1/media/:id',
    url: '/v1/media/f043afd0-f0ae-4b9c-ab3d-696fb4c8cd68',
    access: 'user',
    expect: 404,
  },
  {
    method: 'GET',
    pattern: '/sandbox/customers/:wa_id/messages/:message_id/media',
    url: '/sandbox/customers/16315551000/messages/wamid.unknown/media',
    access: 'admin',
    expect: 404,
  },
  {
    method: 'POST',
    pattern: '/sandbox/inbound',
    url: '/sandbox/inbound',
    body: { from: '16315551000', type: 'text', text: { body: 'hi' } },
    access: 'admin',
    expect: 201,
  },
  {
    method: 'GET',
    pattern: '/sandbox/customers/:wa_id/messages',
    url: '/sandbox/customers/16315551000/messages',
    access: 'admin',
    expect: 200,
  },
  { method: 'GET', pattern: '/v1/health', url: '/v1/health', access: 'user-or-apikey', expect: 200 },
  { method: 'GET', pattern: '/metrics', url: '/metrics', access: 'user-or-apikey', expect: 200 },
  { method: 'GET', pattern: '/v1/metrics', url: '/v1/metrics', access: 'user-or-apikey', expect: 200 },
  { method: 'GET', pattern: '/v1/stats/app', url: '/v1/stats/app', access: 'user-or-apikey', expect: 200 },
  { method: 'GET', pattern: '/v1/stats/db', url: '/v1/stats/db', access: 'user-or-apikey', expect: 200 },
  { method: 'GET', pattern: '/v1/support', url: '/v1/support', access: 'user', expect: 200 },
  { method: 'GET', pattern: '/v1/settings/application', url: '/v1/settings/application', access: 'admin', expect: 200 },
  {
    method: 'PATCH',
    pattern: '/v1/settings/application',
    url: '/v1/settings/application',
    body: { verbose_logging: false },
    access: 'admin',
    expect: 200,
  },
  {
    method: 'DELETE',
    pattern: '/v1/settings/application',
    url: '/v1/settings/application',
    access: 'admin',
    expect: 200,
  },
  {
    method: 'GET',
    pattern: '/v1/settings/application/media/providers',
    url: '/v1/settings/application/media/providers',
    access: 'admin',
    expect: 200,
  },
  {
    method: 'POST',
    pattern: '/v1/settings/application/media/providers',
    url: '/v1/settings/application/media/providers',
    body: [{ name: 'p1', type: 'www', config: { bearer: 'token' } }],
    access: 'admin',
    expect: 200,
  },
  {
    method: 'DELETE',
    pattern: '/v1/settings/application/media/providers/:name',
    url: '/v1/settings/application/media/providers/nobody',
    access: 'admin',
    expect: 404,
  },
  {
    method: 'POST',
    pattern: '/v1/certificates/external',
    url: '/v1/certificates/external',
    access: 'admin',
    expect: 400,
  },
  {
    method: 'GET',
    pattern: '/v1/certificates/external/ca',
    url: '/v1/certificates/external/ca',
    access: 'admin',
    expect: 404,
  },
  {
    method: 'GET',
    pattern: '/v1/certificates/webhooks/ca',
    url: '/v1/certificates/webhooks/ca',
    access: 'admin',
    expect: 404,
  },
  {
    method: 'POST',
    pattern: '/v1/certificates/webhooks/ca',
    url: '/v1/certificates/webhooks/ca',
    access: 'admin',
    expect: 400,
  },
  {
    method: 'DELETE',
    pattern: '/v1/certificates/webhooks/ca',
    url: '/v1/certificates/webhooks/ca',
    access: 'admin',
    expect: 200,
  },
  // Profile, identity, sticker packs and removed endpoints (test/http/profile.test.ts, identity.test.ts, stickerpacks.test.ts, legacy.test.ts).
  {
    method: 'GET',
    pattern: '/v1/settings/profile/about',
    url: '/v1/settings/profile/about',
    access: 'admin',
    expect: 200,
  },
  {
    method: 'PATCH',
    pattern: '/v1/settings/profile/about',
    url: '/v1/settings/profile/about',
    body: { text: 'Open 9-5' },
    access: 'admin',
    expect: 200,
  },
  {
    method: 'GET',
    pattern: '/v1/settings/profile/photo',
    url: '/v1/settings/profile/photo',
    access: 'admin',
    expect: 404,
  },
  {
    method: 'POST',
    pattern: '/v1/settings/profile/photo',
    url: '/v1/settings/profile/photo',
    access: 'admin',
    expect: 400,
  },
  {
    method: 'DELETE',
    pattern: '/v1/settings/profile/photo',
    url: '/v1/settings/profile/photo',
    access: 'admin',
    expect: 200,
  },
  {
    method: 'GET',
    pattern: '/v1/settings/business/profile',
    url: '/v1/settings/business/profile',
    access: 'admin',
    expect: 200,
  },
  {
    method: 'POST',
    pattern: '/v1/settings/business/profile',
    url: '/v1/settings/business/profile',
    body: { address: 'Main St 1' },
    access: 'admin',
    expect: 200,
  },
  {
    method: 'GET',
    pattern: '/v1/settings/business/compliance_info',
    url: '/v1/settings/business/compliance_info',
    access: 'admin',
    expect: 200,
  },
  {
    method: 'POST',
    pattern: '/v1/settings/business/compliance_info',
    url: '/v1/settings/business/compliance_info',
    access: 'admin',
    expect: 200,
    body: {
      entity_name: 'Acme Traders',
      entity_type: 'PUBLIC_COMPANY',
      grievance_officer_details: { name: 'R. Kumar', email: 'r@acme.example' },
      customer_care_details: { email: 'c@acme.example', mobile_number: '+918901234567' },
    },
  },
  {
    method: 'POST',
    pattern: '/v1/settings/account/two-step',
    url: '/v1/settings/account/two-step',
    body: { pin: '123456' },
    access: 'admin',
    expect: 200,
  },
  {
    method: 'DELETE',
    pattern: '/v1/settings/account/two-step',
    url: '/v1/settings/account/two-step',
    access: 'admin',
    expect: 200,
  },
  {
    method: 'GET',
    pattern: '/v1/contacts/:wa_id/identity',
    url: '/v1/contacts/16315551000/identity',
    access: 'user',
    expect: 404,
  },
  {
    method: 'PUT',
    pattern: '/v1/contacts/:wa_id/identity',
    url: '/v1/contacts/16315551000/identity',
    body: { hash: 'UKD6Y/5SqDU=' },
    access: 'user',
    expect: 404,
  },
  { method: 'GET', pattern: '/v1/stickerpacks', url: '/v1/stickerpacks', access: 'admin', expect: 200 },
  {
    method: 'POST',
    pattern: '/v1/stickerpacks',
    url: '/v1/stickerpacks',
    body: { publisher: 'Acme', name: 'Birds' },
    access: 'admin',
    expect: 200,
  },
  {
    method: 'GET',
    pattern: '/v1/stickerpacks/:pack_id',
    url: '/v1/stickerpacks/unknown',
    access: 'admin',
    expect: 404,
  },
  {
    method: 'PATCH',
    pattern: '/v1/stickerpacks/:pack_id',
    url: '/v1/stickerpacks/unknown',
    body: { name: 'x' },
    access: 'admin',
    expect: 404,
  },
  {
    method: 'DELETE',
    pattern: '/v1/stickerpacks/:pack_id',
    url: '/v1/stickerpacks/unknown',
    access: 'admin',
    expect: 404,
  },
  {
    method: 'GET',
    pattern: '/v1/stickerpacks/:pack_id/stickers',
    url: '/v1/stickerpacks/unknown/stickers',
    access: 'admin',
    expect: 404,
  },
  {
    method: 'POST',
    pattern: '/v1/stickerpacks/:pack_id/stickers',
    url: '/v1/stickerpacks/unknown/stickers',
    body: { image_data_id: 'none', emojis: ['🐥'] },
    access: 'admin',
    expect: 404,
  },
  {
    method: 'GET',
    pattern: '/v1/stickerpacks/:pack_id/stickers/:index',
    url: '/v1/stickerpacks/unknown/stickers/0',
    access: 'admin',
    expect: 404,
  },
  {
    method: 'PATCH',
    pattern: '/v1/stickerpacks/:pack_id/stickers/:index',
    url: '/v1/stickerpacks/unknown/stickers/0',
    body: { emojis: ['🐥'] },
    access: 'admin',
    expect: 404,
  },
  {
    method: 'DELETE',
    pattern: '/v1/stickerpacks/:pack_id/stickers/:index',
    url: '/v1/stickerpacks/unknown/stickers/0',
    access: 'admin',
    expect: 404,
  },
  ...REMOVED_ENDPOINTS.flatMap((endpoint) =>
    endpoint.urls.flatMap((pattern) =>
      endpoint.methods.map(
        (method): RouteCase => ({
          method: method as RouteCase['method'],
          pattern,
          url: pattern.replace('*', 'abc/invite'),
          access: endpoint.access as RouteCase['access'],
          expect: 404,
        }),
      ),
    ),
  ),
  { method: 'PUT', pattern: '/v1/services/message/gc', url: '/v1/services/message/gc', access: 'admin', expect: 200 },
  { method: 'PUT', pattern: '/services/message/gc', url: '/services/message/gc', access: 'admin', expect: 200 },
  { method: 'GET', pattern: '/x/v1/users/me', url: '/x/v1/users/me', access: 'user', expect: 200 },
  {
    method: 'GET',
    pattern: '/x/v1/webhooks/deliveries',
    url: '/x/v1/webhooks/deliveries',
    access: 'admin',
    expect: 200,
  },
  {
    method: 'GET',
    pattern: '/x/v1/webhooks/deliveries/summary',
    url: '/x/v1/webhooks/deliveries/summary',
    access: 'admin',
    expect: 200,
  },
  {
    method: 'GET',
    pattern: '/x/v1/webhooks/deliveries/:id',
    url: '/x/v1/webhooks/deliveries/unknown',
    access: 'admin',
    expect: 404,
  },
  {
    method: 'POST',
    pattern: '/x/v1/webhooks/deliveries/:id/replay',
    url: '/x/v1/webhooks/deliveries/unknown/replay',
    access: 'admin',
    expect: 404,
  },
  {
    method: 'POST',
    pattern: '/x/v1/webhooks/deliveries/replay',
    url: '/x/v1/webhooks/deliveries/replay',
    access: 'admin',
    expect: 200,
  },
  { method: 'GET', pattern: '/x/v1/conversations', url: '/x/v1/conversations', access: 'user', expect: 200 },
  { method: 'GET', pattern: '/x/v1/events', url: '/x/v1/events', access: 'user', expect: 200, stream: true },
  {
    method: 'GET',
    pattern: '/x/v1/conversations/:wa_id/messages',
    url: '/x/v1/conversations/16315551000/messages',
    access: 'user',
    expect: 200,
  },
  { method: 'GET', pattern: '/sandbox/customers', url: '/sandbox/customers', access: 'admin', expect: 200 },
  {
    method: 'GET',
    pattern: '/sandbox/customers/:wa_id',
    url: '/sandbox/customers/16315551001',
    access: 'admin',
    expect: 200,
  },
  {
    method: 'PATCH',
    pattern: '/sandbox/customers/:wa_id',
    url: '/sandbox/customers/16315551001',
    body: { online: true },
    access: 'admin',
    expect: 200,
  },
  { method: 'GET', pattern: '/sandbox/templates', url: '/sandbox/templates', access: 'admin', expect: 200 },
  {
    method: 'POST',
    pattern: '/sandbox/templates',
    url: '/sandbox/templates',
    body: { name: 'security_check', language: 'en_US', category: 'UTILITY', components: { body: { text: 'Hi' } } },
    access: 'admin',
    expect: 201,
  },
  {
    method: 'GET',
    pattern: '/sandbox/templates/:namespace/:name/:language',
    url: '/sandbox/templates/openprem_sandbox/hello_world/en_US',
    access: 'admin',
    expect: 200,
  },
  {
    method: 'PATCH',
    pattern: '/sandbox/templates/:namespace/:name/:language',
    url: '/sandbox/templates/openprem_sandbox/hello_world/en_US',
    body: { status: 'approved' },
    access: 'admin',
    expect: 200,
  },
  {
    method: 'DELETE',
    pattern: '/sandbox/templates/:namespace/:name/:language',
    url: '/sandbox/templates/openprem_sandbox/no_such_template/en_US',
    access: 'admin',
    expect: 404,
  },
  {
    method: 'POST',
    pattern: '/v1/account',
    url: '/v1/account',
    body: { cc: '1', phone_number: '6315550000', method: 'sms', cert: buildVerifiedNameCert('Security Check') },
    access: 'admin',
    expect: 201,
  },
  {
    method: 'POST',
    pattern: '/v1/account/verify',
    url: '/v1/account/verify',
    body: { code: '123456' },
    access: 'admin',
    expect: 400,
  },
  { method: 'GET', pattern: '/v1/account/shards', url: '/v1/account/shards', access: 'admin', expect: 200 },
  {
    method: 'POST',
    pattern: '/v1/account/shards',
    url: '/v1/account/shards',
    body: { cc: '1', phone_number: '6315550000', shards: 2 },
    access: 'admin',
    expect: 200,
  },
  { method: 'GET', pattern: '/sandbox/account/code', url: '/sandbox/account/code', access: 'admin', expect: 404 },
  {
    method: 'POST',
    pattern: '/v1/settings/backup',
    url: '/v1/settings/backup',
    body: { password: 'backup' },
    access: 'admin',
    expect: 200,
  },
  {
    method: 'POST',
    pattern: '/v1/settings/restore',
    url: '/v1/settings/restore',
    body: { password: 'backup', data: 'AAAA' },
    access: 'admin',
    expect: 400,
  },
];

describe('access control of every route', () => {
  let t: TestNode;
  const suite = suiteScope();
  before(async () => {
    t = await startTestNode(suite);
    await t.userToken(USER, USER_PASSWORD);
  });

  it('the table below covers every route the server serves', async () => {
    const table = ROUTES.map((r) => `${r.method} ${r.pattern}`).sort();
    assert.deepEqual(await servedRoutes(t), table);
  });

  for (const route of ROUTES) {
    it(`${route.method} ${route.url} is ${route.access}`, async () => {
      await checkRouteSecurity(t, route, {
        admin: () => t.login('admin', ADMIN_PASSWORD),
        user: () => t.login(USER, USER_PASSWORD),
      });
    });
  }

  it('the Apikey scheme is not a way to log in', async () => {
    assertError(
      await t.request({ method: 'POST', url: '/v1/users/login', apiKey: 'test-api-key-0123456789' }),
      401,
      1005,
    );
  });
});

describe('token lifetime and storage', () => {
  let t: TestNode;
  const suite = suiteScope();
  before(async () => {
    t = await startTestNode(suite);
  });

  it('stores tokens only as hashes and passwords only as scrypt hashes', async () => {
    const token = await t.userToken('hashed', 'Hashed-Pass1!');
    const tokens = await t.node.db.db.selectFrom('auth_tokens').selectAll().execute();
    assert.ok(tokens.length >= 1);
    for (const row of tokens) assert.ok(!JSON.stringify(row).includes(token), 'the raw token is not stored');
    assert.ok(tokens.some((row) => row.username === 'hashed'));
    assert.ok(token.length >= 43, 'at least 256 bits of base64url');
    const users = await t.node.db.db.selectFrom('users').select(['username', 'password_hash']).execute();
    assert.deepEqual(users.map((u) => u.username).sort(), ['admin', 'hashed']);
    for (const user of users) {
      assert.match(user.password_hash, /^scrypt\$/);
      assert.ok(!user.password_hash.includes('Hashed-Pass1!') && !user.password_hash.includes(ADMIN_PASSWORD));
    }
    const salts = users.map((user) => user.password_hash.split('$')[4]);
    assert.notEqual(salts[0], salts[1], 'each password has its own salt');
  });

  it('a token works until 7 days after issue, then is refused as expired and its row deleted', async () => {
    const token = await t.userToken('expiring', 'Expiring-Pass1!');
    const rows = () =>
      t.node.db.db.selectFrom('auth_tokens').select('token_hash').where('username', '=', 'expiring').execute();
    assert.equal((await rows()).length, 1);
    t.clock.advance(7 * DAY_MS - 1);
    assert.equal((await t.request({ url: '/v1/health', token })).status, 200, 'still valid 1 ms before expiry');
    const expiredAt = formatExpiry(t.clock.now() + 1);
    t.clock.advance(1);
    assertError(
      await t.request({ url: '/v1/health', token }),
      401,
      1005,
      `Token expired at ${expiredAt}; log in again`,
    );
    assert.deepEqual(await rows(), []);
    assertError(
      await t.request({ url: '/v1/health', token }),
      401,
      1005,
      `Token expired at ${expiredAt}; log in again`,
    );
    // A fresh login gives a working token again.
    assert.equal(
      (await t.request({ url: '/v1/health', token: await t.login('expiring', 'Expiring-Pass1!') })).status,
      200,
    );
  });
});

describe('token cache across nodes sharing a database', () => {
  let a: TestNode;
  let b: TestNode;
  const suite = suiteScope();
  before(async () => ({ a, b } = await startNodePair(suite)));

  it('a logout is seen at once on its node, and on the other when the cluster notice arrives, without the cache running out', async () => {
    const token = await a.userToken('roamer', 'Roamer-Pass1!');
    const other = await a.login('roamer', 'Roamer-Pass1!');
    assert.equal((await b.request({ url: '/v1/health', token })).status, 200, 'node B validates and caches the token');
    assert.equal((await a.request({ method: 'POST', url: '/v1/users/logout', token })).status, 200);
    assertError(await a.request({ url: '/v1/health', token }), 401, 1005);
    // The clock stays put: B's cache entry has 5000 ms to go, the notice evicts it (test/cluster/invalidation.test.ts).
    await eventually(
      async () => ((await b.request({ url: '/v1/health', token })).status === 401 ? true : undefined),
      3000,
    );
    assertError(
      await b.request({ url: '/v1/health', token }),
      401,
      1005,
      'Token revoked: it was logged out; log in again',
    );
    // The other token of the same user was not revoked, on either node.
    assert.equal((await a.request({ url: '/v1/health', token: other })).status, 200);
    assert.equal((await b.request({ url: '/v1/health', token: other })).status, 200);
  });

  it('a user deleted on one node loses access on the other within the cache time', async () => {
    const token = await a.userToken('leaver', 'Leaver-Pass1!');
    assert.equal((await b.request({ url: '/v1/health', token })).status, 200);
    const deleted = await a.request({ method: 'DELETE', url: '/v1/users/leaver', token: await a.adminToken() });
    assert.equal(deleted.status, 200, deleted.text);
    assertError(await a.request({ url: '/v1/health', token }), 401, 1005);
    a.clock.advance(5001);
    assertError(await b.request({ url: '/v1/health', token }), 401, 1005);
  });
});
