// Registration of the business number and its shards (docs/api/account-and-registration.md): the code request, the
// sandbox's code, verification, health moving unregistered → connecting → connected, what unregistered calls answer,
// every field's error, shards, durability and nodes sharing one database.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { buildVerifiedNameCert } from '../../src/lib/verified-name-cert.js';
import { CODE_TTL_MS, CONNECT_DELAY_MS, MAX_CODE_ATTEMPTS } from '../../src/services/account.js';
import { assertError } from '../support/assertions.js';
import {
  ADMIN_PASSWORD,
  eventually,
  startNodePair,
  startTestNode,
  suiteScope,
  type TestNode,
} from '../support/harness.js';
import { checkRouteSecurity } from '../support/security.js';

const CERT = buildVerifiedNameCert('Acme Sandbox Shop');
const REQUEST = { cc: '1', phone_number: '6315550000', method: 'sms', cert: CERT };
const META = { api_status: 'stable', version: 'v2.53.0' };

/** The node's own gateway status, from either health shape (one node, or one key per live node on PostgreSQL). */
const healthOf = async (t: TestNode) => {
  const { health } = (await t.request({ url: '/v1/health', token: await t.adminToken() })).body;
  return health.gateway_status ?? health[t.node.nodeKey].gateway_status;
};
const requestCode = async (t: TestNode, body: unknown = REQUEST) =>
  t.request({ method: 'POST', url: '/v1/account', token: await t.adminToken(), body });
const verify = async (t: TestNode, code: unknown) =>
  t.request({ method: 'POST', url: '/v1/account/verify', token: await t.adminToken(), body: { code } });
const sentCode = async (t: TestNode) => t.request({ url: '/sandbox/account/code', token: await t.adminToken() });

describe('registering the business number', () => {
  let t: TestNode;
  const suite = suiteScope();
  before(async () => {
    t = await startTestNode(suite, { env: { WA_SANDBOX_REGISTERED: 'false' } });
  });

  it('an unregistered sandbox says so, and refuses what needs the network with 503 / 1011', async () => {
    assert.equal(await healthOf(t), 'unregistered');
    const user = await t.userToken();
    const calls = [
      { method: 'POST' as const, url: '/v1/messages', token: user, body: { to: '16315551000', text: { body: 'hi' } } },
      { method: 'PUT' as const, url: '/v1/messages/wamid.any', token: user, body: { status: 'read' } },
      {
        method: 'POST' as const,
        url: '/v1/contacts',
        token: user,
        body: { blocking: 'wait', contacts: ['+16315551000'] },
      },
      { method: 'POST' as const, url: '/v1/settings/backup', token: await t.adminToken(), body: { password: 'pass' } },
      {
        method: 'POST' as const,
        url: '/v1/account/shards',
        token: await t.adminToken(),
        body: { cc: '1', phone_number: '6315550000', shards: 2 },
      },
      {
        method: 'POST' as const,
        url: '/sandbox/inbound',
        token: await t.adminToken(),
        body: { from: '16315551000', type: 'text', text: { body: 'hi' } },
      },
    ];
    for (const call of calls) {
      const response = await t.request(call);
      assertError(response, 503, 1011, /not registered: POST \/v1\/account/);
      assert.equal(response.headers['retry-after'], '60', call.url);
    }
    assert.equal(
      await t.node.db.db.selectFrom('messages').select('id').executeTakeFirst(),
      undefined,
      'nothing was sent',
    );
    // Reading the shard count and the settings does not need the network.
    assert.deepEqual((await t.request({ url: '/v1/account/shards', token: await t.adminToken() })).body, {
      account: { shards: 1 },
      meta: META,
    });
    assertError(await sentCode(t), 404, 1006, /no registration code is pending/);
    assertError(
      await verify(t, '123456'),
      400,
      1009,
      'no registration code is pending: request one with POST /v1/account',
    );
  });

  it("POST /v1/account answers 202 with the certificate's name, and the sandbox shows the code it sent", async () => {
    const response = await requestCode(t);
    assert.equal(response.status, 202, response.text);
    assert.deepEqual(response.body, { account: [{ vname: 'Acme Sandbox Shop' }], meta: META });
    assert.equal(await healthOf(t), 'unregistered', 'a code requested is not a registration');
    const code = await sentCode(t);
    assert.equal(code.status, 200, code.text);
    assert.equal(code.body.meta.api_status, 'experimental');
    const [sent] = code.body.account;
    assert.match(sent.code, /^\d{6}$/);
    assert.deepEqual(
      { ...sent, code: '' },
      {
        code: '',
        method: 'sms',
        cc: '1',
        phone_number: '6315550000',
        expires_after: '2026-01-05 12:10:00+00:00',
      },
    );
  });

  it('a wrong code is refused with the attempts left; the right one (also as 123-456) registers: 201, connecting, connected', async () => {
    const { code } = (await sentCode(t)).body.account[0];
    const wrong = code === '000000' ? '111111' : '000000';
    assertError(
      await verify(t, wrong),
      400,
      1009,
      `code does not match the code sent (${MAX_CODE_ATTEMPTS - 1} attempts left)`,
    );
    const response = await verify(t, `${code.slice(0, 3)}-${code.slice(3)}`);
    assert.equal(response.status, 201, response.text);
    assert.deepEqual(response.body, { meta: META });
    assert.equal(await healthOf(t), 'connecting');
    assertError(await sentCode(t), 404, 1006);
    t.clock.advance(CONNECT_DELAY_MS - 1);
    assert.equal(await healthOf(t), 'connecting');
    t.clock.advance(1);
    assert.equal(await healthOf(t), 'connected');
    const support = await t.request({ url: '/v1/support', token: await t.adminToken() });
    assert.equal(Object.values(support.body.support as Record<string, { socket_conn: string }>)[0]!.socket_conn, 'UP');
    const sent = await t.request({
      method: 'POST',
      url: '/v1/messages',
      token: await t.adminToken(),
      body: { to: '16315551000', text: { body: 'hi' } },
    });
    assert.equal(sent.status, 201, sent.text);
  });

  it('once registered, POST /v1/account is 201 with nothing but meta, and verify has nothing to verify', async () => {
    const again = await requestCode(t, { ...REQUEST, method: 'voice' });
    assert.equal(again.status, 201, again.text);
    assert.deepEqual(again.body, { meta: META });
    assertError(
      await verify(t, '123456'),
      400,
      1009,
      'no registration code is pending: the number is already registered',
    );
    assert.equal(await healthOf(t), 'connected');
  });

  it('the registration is durable: a restart comes back registered and connected', async () => {
    await t.restart();
    assert.equal(await healthOf(t), 'connected');
    const row = await t.node.db.db.selectFrom('account').selectAll().executeTakeFirstOrThrow();
    assert.equal(row.state, 'registered');
    assert.equal(row.vname, 'Acme Sandbox Shop');
    assert.equal(row.code, null);
  });
});

describe('registration codes: expiry, attempts, replacement', () => {
  let t: TestNode;
  const suite = suiteScope();
  before(async () => {
    t = await startTestNode(suite, { env: { WA_SANDBOX_REGISTERED: 'false' } });
  });

  it('a code expires after ten minutes', async () => {
    assert.equal((await requestCode(t)).status, 202);
    const { code } = (await sentCode(t)).body.account[0];
    t.clock.advance(CODE_TTL_MS);
    assertError(await sentCode(t), 404, 1006);
    assertError(
      await verify(t, code),
      400,
      1009,
      'the registration code expired: request a new one with POST /v1/account',
    );
    assert.equal(await healthOf(t), 'unregistered');
  });

  it(`after ${MAX_CODE_ATTEMPTS} wrong codes the code is void, even the right one`, async () => {
    assert.equal((await requestCode(t, { ...REQUEST, method: 'VOICE' })).status, 202);
    const { code, method } = (await sentCode(t)).body.account[0];
    assert.equal(method, 'voice');
    const wrong = code === '999999' ? '888888' : '999999';
    for (let left = MAX_CODE_ATTEMPTS - 1; left > 0; left--) {
      assertError(
        await verify(t, wrong),
        400,
        1009,
        `code does not match the code sent (${left} ${left === 1 ? 'attempt' : 'attempts'} left)`,
      );
    }
    assertError(await verify(t, wrong), 400, 1009, /that was the last attempt: request a new code/);
    assertError(await verify(t, code), 400, 1009, /no registration code is pending/);
    assertError(await sentCode(t), 404, 1006);
  });

  it('a new request replaces the code: the earlier one no longer works', async () => {
    assert.equal((await requestCode(t)).status, 202);
    const first = (await sentCode(t)).body.account[0].code;
    let second = first;
    // Six random digits may repeat; ask again until they differ (one more request at most, in practice).
    while (second === first) {
      assert.equal((await requestCode(t)).status, 202);
      second = (await sentCode(t)).body.account[0].code;
    }
    assertError(await verify(t, first), 400, 1009, /does not match/);
    assert.equal((await verify(t, second)).status, 201);
  });
});

describe('POST /v1/account and /verify: every field checked', () => {
  let t: TestNode;
  const suite = suiteScope();
  before(async () => {
    t = await startTestNode(suite, { env: { WA_SANDBOX_REGISTERED: 'false' } });
  });

  it("names each bad field with the reference's codes, and stores nothing", async () => {
    const cases: [object, number, RegExp][] = [
      [{ phone_number: '6315550000', method: 'sms', cert: CERT }, 1008, /missing required parameter cc/],
      [{ cc: '1', method: 'sms', cert: CERT }, 1008, /missing required parameter phone_number/],
      [{ cc: '1', phone_number: '6315550000', cert: CERT }, 1008, /missing required parameter method/],
      [{ cc: '1', phone_number: '6315550000', method: 'sms' }, 1008, /missing required parameter cert/],
      [{ ...REQUEST, vname: 'x' }, 1010, /vname is not an accepted parameter/],
      [{ ...REQUEST, cc: 1 }, 1009, /cc must be of type string/],
      [{ ...REQUEST, cc: 'US' }, 1009, /cc must be the numeric country calling code/],
      [{ ...REQUEST, cc: '999' }, 1009, /cc 999 is not a country calling code/],
      [{ ...REQUEST, phone_number: 'six-three-one' }, 1009, /phone_number must be the number's digits/],
      [{ ...REQUEST, phone_number: '123' }, 1009, /phone_number 123 is not a valid number for country code 1/],
      [
        { ...REQUEST, cc: '44', phone_number: '7400123456' },
        1009,
        /\+447400123456 is not this server's business number \+16315550000/,
      ],
      [{ ...REQUEST, method: 'fax' }, 1009, /method must be one of sms, voice/],
      [{ ...REQUEST, cert: 'not a certificate!' }, 1009, /cert is not base64/],
      [
        { ...REQUEST, cert: Buffer.from('just some text').toString('base64') },
        1009,
        /cert is not a verified name certificate/,
      ],
      [{ ...REQUEST, pin: '12345' }, 1009, /pin must be the 6-digit two-step verification PIN/],
    ];
    for (const [body, code, details] of cases) assertError(await requestCode(t, body), 400, code, details);
    const row = await t.node.db.db.selectFrom('account').selectAll().executeTakeFirstOrThrow();
    assert.equal(row.state, 'unregistered');
    assert.equal(row.code, null);
  });

  it('accepts the separators people type in phone_number, upper-case methods and a PIN', async () => {
    const response = await requestCode(t, {
      cc: '+1',
      phone_number: '(631) 555-0000',
      method: 'SMS',
      cert: CERT,
      pin: '123456',
    });
    assert.equal(response.status, 202, response.text);
  });

  it('verify checks its body like any other', async () => {
    assertError(
      await t.request({ method: 'POST', url: '/v1/account/verify', token: await t.adminToken(), body: {} }),
      400,
      1008,
      /missing required parameter code/,
    );
    assertError(await verify(t, 123456), 400, 1009, /code must be of type string/);
    assertError(await verify(t, '12345'), 400, 1009, /code must be the 6-digit registration code/);
    assertError(await verify(t, 'abcdef'), 400, 1009, /code must be the 6-digit registration code/);
    const extra = await t.request({
      method: 'POST',
      url: '/v1/account/verify',
      token: await t.adminToken(),
      body: { code: '123456', pin: '1' },
    });
    assertError(extra, 400, 1010, /pin is not an accepted parameter/);
  });
});

describe('shards', () => {
  let t: TestNode;
  const suite = suiteScope();
  before(async () => {
    t = await startTestNode(suite);
  });
  const setShards = async (body: unknown) =>
    t.request({ method: 'POST', url: '/v1/account/shards', token: await t.adminToken(), body });
  const shards = async () => (await t.request({ url: '/v1/account/shards', token: await t.adminToken() })).body;

  it('a fresh sandbox is registered with one shard; each allowed count is stored and reported', async () => {
    assert.equal(await healthOf(t), 'connected');
    assert.deepEqual(await shards(), { account: { shards: 1 }, meta: META });
    for (const count of [2, 4, 8, 16, 32, 1]) {
      const response = await setShards({ cc: '1', phone_number: '6315550000', shards: count, pin: '123456' });
      assert.equal(response.status, 200, response.text);
      assert.deepEqual(response.body, { meta: META });
      assert.deepEqual((await shards()).account, { shards: count });
    }
    assert.equal((await setShards({ cc: '1', phone_number: '6315550000', shards: '8', cert: CERT })).status, 200);
    assert.deepEqual((await shards()).account, { shards: 8 });
  });

  it('refuses other counts, other numbers and bad fields, keeping the stored count', async () => {
    const base = { cc: '1', phone_number: '6315550000' };
    const cases: [object, number, RegExp][] = [
      [{ ...base, shards: 3 }, 1009, /shards must be one of 1, 2, 4, 8, 16, 32, got 3/],
      [{ ...base, shards: 64 }, 1009, /shards must be one of/],
      [{ ...base, shards: 0 }, 1009, /shards must be one of/],
      [{ ...base, shards: 'four' }, 1009, /shards must be one of/],
      [{ ...base, shards: 2.5 }, 1009, /shards must be one of/],
      [{ ...base, shards: null }, 1009, /shards must be one of/],
      [base, 1008, /missing required parameter shards/],
      [{ cc: '1', shards: 2 }, 1008, /missing required parameter phone_number/],
      [{ ...base, shards: 2, extra: true }, 1010, /extra is not an accepted parameter/],
      [{ cc: '1', phone_number: '6315550001', shards: 2 }, 1009, /is not this server's business number/],
      [{ ...base, shards: 2, pin: 'abcdef' }, 1009, /pin must be the 6-digit/],
      [{ ...base, shards: 2, cert: 'bad cert!' }, 1009, /cert is not base64/],
    ];
    for (const [body, code, details] of cases) assertError(await setShards(body), 400, code, details);
    assert.deepEqual((await shards()).account, { shards: 8 });
  });

  it('the count is durable', async () => {
    await t.restart();
    assert.deepEqual((await shards()).account, { shards: 8 });
  });
});

describe('registration across nodes sharing one database', () => {
  let a: TestNode;
  let b: TestNode;
  const suite = suiteScope();
  before(async () => {
    // B is configured "registered", but joins a database whose registration is already stored: the database wins.
    ({ a, b } = await startNodePair(
      suite,
      { env: { WA_SANDBOX_REGISTERED: 'false', WA_SETTINGS_REFRESH_MS: '50' } },
      { env: { WA_SANDBOX_REGISTERED: 'true', WA_SETTINGS_REFRESH_MS: '50' } },
    ));
  });

  it('a code requested on one node is verified on the other, and both report it', async () => {
    assert.equal(await healthOf(b), 'unregistered');
    assert.equal((await requestCode(a)).status, 202);
    const { code } = (await sentCode(b)).body.account[0];
    assert.equal((await verify(b, code)).status, 201);
    a.clock.advance(CONNECT_DELAY_MS);
    assert.equal(await healthOf(b), 'connected');
    // A learns it from its refresh timer (every WA_SETTINGS_REFRESH_MS), polled with a bound.
    await eventually(async () => ((await healthOf(a)) === 'connected' ? true : undefined));
  });
});

describe('access to the account endpoints', () => {
  let t: TestNode;
  const suite = suiteScope();
  before(async () => {
    t = await startTestNode(suite);
    await t.userToken('accountuser', 'Account-Pass1!');
  });

  const callers = {
    admin: () => t.login('admin', ADMIN_PASSWORD),
    user: () => t.login('accountuser', 'Account-Pass1!'),
  };
  for (const route of [
    {
      method: 'POST' as const,
      pattern: '/v1/account',
      url: '/v1/account',
      body: REQUEST,
      access: 'admin' as const,
      expect: 201,
    },
    {
      method: 'POST' as const,
      pattern: '/v1/account/verify',
      url: '/v1/account/verify',
      body: { code: '123456' },
      access: 'admin' as const,
      expect: 400,
    },
    {
      method: 'GET' as const,
      pattern: '/v1/account/shards',
      url: '/v1/account/shards',
      access: 'admin' as const,
      expect: 200,
    },
    {
      method: 'POST' as const,
      pattern: '/v1/account/shards',
      url: '/v1/account/shards',
      body: { cc: '1', phone_number: '6315550000', shards: 1 },
      access: 'admin' as const,
      expect: 200,
    },
    {
      method: 'GET' as const,
      pattern: '/sandbox/account/code',
      url: '/sandbox/account/code',
      access: 'admin' as const,
      expect: 404,
    },
  ]) {
    it(`${route.method} ${route.url} is admin only`, () => checkRouteSecurity(t, route, callers));
  }
});

describe('two-step verification guards a new registration and a shard change', () => {
  let t: TestNode;
  const suite = suiteScope();
  before(async () => {
    t = await startTestNode(suite, { env: { WA_SANDBOX_REGISTERED: 'false' } });
    const enabled = await t.request({
      method: 'POST',
      url: '/v1/settings/account/two-step',
      token: await t.adminToken(),
      body: { pin: '246810' },
    });
    assert.equal(enabled.status, 200, enabled.text);
  });

  it('asks for the PIN, refuses a wrong one, and registers with the right one', async () => {
    assertError(await requestCode(t, REQUEST), 400, 1008, /pin is required: two-step verification is on/);
    assertError(
      await requestCode(t, { ...REQUEST, pin: '135790' }),
      400,
      1009,
      'pin does not match the two-step verification PIN',
    );
    assert.equal(
      (await t.node.db.db.selectFrom('account').select('state').executeTakeFirstOrThrow()).state,
      'unregistered',
    );
    assert.equal((await requestCode(t, { ...REQUEST, pin: '246810' })).status, 202);
    assert.equal((await verify(t, (await sentCode(t)).body.account[0].code)).status, 201);
  });

  it('asks for the PIN before changing the shards', async () => {
    const shards = async (body: object) =>
      t.request({
        method: 'POST',
        url: '/v1/account/shards',
        token: await t.adminToken(),
        body: { cc: '1', phone_number: '6315550000', shards: 2, ...body },
      });
    assertError(await shards({}), 400, 1008, /pin is required/);
    assertError(await shards({ pin: '000000' }), 400, 1009, /pin does not match/);
    assert.equal((await shards({ pin: '246810' })).status, 200);
  });
});
