// POST /v1/settings/backup and /restore (docs/api/settings.md#backup-and-restore): a backup made on one installation
// restored into a fresh one (users, settings with their secrets, media providers, templates, registration and shards),
// refusals of a wrong password, altered or foreign blobs, and a restore that fails changing nothing.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { SANDBOX_NAMESPACE } from '../../src/modes/sandbox/templates.js';
import { openBackup, sealBackup } from '../../src/lib/backup-crypto.js';
import { CONNECT_DELAY_MS } from '../../src/services/account.js';
import { createBackupService } from '../../src/services/backup/backup.js';
import { usersSection } from '../../src/services/backup/sections/users.js';
import { assertError } from '../support/assertions.js';
import { ADMIN_PASSWORD, startTestNode, suiteScope, type TestNode } from '../support/harness.js';
import { checkRouteSecurity } from '../support/security.js';

const PASSWORD = 'a backup passphrase';
const SECRET = 'webhook-signing-secret-0123456789';
const NEW_ADMIN_PASSWORD = 'Moved-Admin9!';
const META = { api_status: 'stable', version: 'v2.53.0' };
const PROVIDERS = [
  { name: 'cdn', type: 'www', config: { bearer: 'cdn-token-abc' } },
  { name: 'intranet', type: 'www', config: { basic: { username: 'media', password: 'media-pass' } } },
];
const COMPLIANCE = {
  entity_name: 'Lucky Shrub Private Limited',
  entity_type: 'PRIVATE_COMPANY',
  grievance_officer_details: {
    name: 'Chandravati P.',
    email: 'chandravati@luckyshrub.com',
    mobile_number: '+913854559033',
  },
  customer_care_details: { email: 'support@luckyshrub.com', landline_number: '+913857614343' },
};
const TEMPLATE = {
  name: 'restored_notice',
  language: 'en_US',
  category: 'UTILITY',
  components: { body: { text: 'Hi {{1}}, we moved.' } },
};

const backupOf = async (t: TestNode, password = PASSWORD) =>
  t.request({ method: 'POST', url: '/v1/settings/backup', token: await t.adminToken(), body: { password } });
const restore = (t: TestNode, token: string, body: unknown) =>
  t.request({ method: 'POST', url: '/v1/settings/restore', token, body });
const templateCheck = (t: TestNode, name: string) =>
  t.node.sandboxTemplates!.check({
    namespace: SANDBOX_NAMESPACE,
    name,
    languageCode: 'en_US',
    parameters: { header: 0, body: name === 'restored_notice' ? 1 : 0, buttons: [] },
  });

/** Everything a restore may write, to prove that a refused one wrote nothing. */
async function snapshot(t: TestNode) {
  const db = t.node.db.db;
  return {
    users: await db.selectFrom('users').selectAll().orderBy('username').execute(),
    settings: await db.selectFrom('settings').selectAll().orderBy('name').execute(),
    templates: await db
      .selectFrom('sandbox_templates')
      .selectAll()
      .orderBy('namespace')
      .orderBy('name')
      .orderBy('language')
      .execute(),
    account: await db.selectFrom('account').selectAll().execute(),
  };
}

// A real backup's payload, opened once (each opening costs a scrypt).
const opened = new Map<string, string>();

/** Opens a real backup, lets `change` edit its payload, and seals it again with the same password. */
async function reseal(data: string, change: (payload: any) => void): Promise<string> {
  if (!opened.has(data)) {
    const result = await openBackup(data, PASSWORD);
    assert.ok(result.ok);
    opened.set(data, result.value.toString('utf8'));
  }
  const payload = JSON.parse(opened.get(data)!);
  change(payload);
  return sealBackup(Buffer.from(JSON.stringify(payload)), PASSWORD);
}

/** A source installation with something in every section. */
async function prepareSource(t: TestNode): Promise<void> {
  const admin = await t.adminToken();
  const ok = async (method: 'POST' | 'PATCH' | 'PUT' | 'DELETE', url: string, body?: unknown, status = 200) => {
    const response = await t.request({ method, url, token: admin, ...(body !== undefined ? { body } : {}) });
    assert.equal(response.status, status, `${method} ${url}: ${response.text}`);
  };
  await t.userToken('alice', 'Alice-Pass1!');
  await ok('PATCH', '/v1/settings/application', {
    webhooks: { url: 'https://crm.example.com/hook', secret: SECRET },
    log_level: 'debug',
    sent_status: true,
  });
  await ok('POST', '/v1/settings/application/media/providers', PROVIDERS);
  await ok('POST', '/sandbox/templates', TEMPLATE, 201);
  await ok('DELETE', `/sandbox/templates/${SANDBOX_NAMESPACE}/hello_world/en_US`);
  await ok('POST', '/v1/account/shards', { cc: '1', phone_number: '6315550000', shards: 4 });
  await ok('PATCH', '/v1/settings/profile/about', { text: 'Restored about text' });
  await ok('POST', '/v1/settings/business/profile', {
    email: 'help@example.com',
    websites: ['https://shop.example.com'],
  });
  await ok('POST', '/v1/settings/business/compliance_info', COMPLIANCE);
  // Last, since it ends the admin's sessions: the restored admin has this password.
  await ok('PUT', '/v1/users/admin', { password: NEW_ADMIN_PASSWORD });
}

describe('backup on one installation, restore into a fresh one', () => {
  let source: TestNode;
  let target: TestNode;
  let data: string;
  const suite = suiteScope();
  before(async () => {
    source = await startTestNode(suite);
    target = await startTestNode(suite, { env: { WA_SANDBOX_REGISTERED: 'false' } });
    await prepareSource(source);
  });

  it('POST /v1/settings/backup answers {"settings":{"data"}}, a sealed blob with nothing readable in it', async () => {
    const admin = await source.login('admin', NEW_ADMIN_PASSWORD);
    const response = await source.request({
      method: 'POST',
      url: '/v1/settings/backup',
      token: admin,
      body: { password: PASSWORD },
    });
    assert.equal(response.status, 200, response.text);
    assert.deepEqual(Object.keys(response.body), ['settings', 'meta']);
    assert.deepEqual(response.body.meta, META);
    data = response.body.settings.data;
    const bytes = Buffer.from(data, 'base64');
    assert.equal(bytes.subarray(0, 4).toString(), 'OPBK');
    for (const secret of [SECRET, 'cdn-token-abc', 'alice', 'scrypt$', 'restored_notice']) {
      assert.ok(!bytes.includes(Buffer.from(secret)), `${secret} is not readable in the backup`);
    }
    const payload = JSON.parse(((await openBackup(data, PASSWORD)) as { value: Buffer }).value.toString());
    assert.deepEqual(Object.keys(payload.sections), [
      'users',
      'settings',
      'templates',
      'registration',
      'profile',
      'compliance',
    ]);
    assert.equal(payload.format, 'openprem-backup');
  });

  it('restores everything in one call: 200 with meta only', async () => {
    const before = await target.adminToken();
    assert.equal(
      (await target.request({ url: '/v1/health', token: before })).body.health.gateway_status,
      'unregistered',
    );
    assert.deepEqual(
      await templateCheck(target, 'hello_world'),
      { ok: true, category: 'utility' },
      'cached before the restore',
    );
    const response = await restore(target, before, { password: PASSWORD, data });
    assert.equal(response.status, 200, response.text);
    assert.deepEqual(response.body, { meta: META });
    assertError(await target.request({ url: '/v1/health', token: before }), 401, 1005, 'Invalid credentials.');
  });

  it("the restored users log in with their passwords; the target's own admin password no longer works", async () => {
    assert.equal(
      (await target.request({ method: 'POST', url: '/v1/users/login', basic: ['admin', ADMIN_PASSWORD] })).status,
      401,
    );
    const admin = await target.login('admin', NEW_ADMIN_PASSWORD);
    const alice = await target.login('alice', 'Alice-Pass1!');
    assert.deepEqual((await target.request({ url: '/v1/users/alice', token: admin })).body.users, [
      { username: 'alice', ROLES: 'ROLE_USER' },
    ]);
    assertError(await target.request({ url: '/v1/settings/application', token: alice }), 403, 1005);
  });

  it('the settings, their secret and the media providers are in force at once', async () => {
    const admin = await target.login('admin', NEW_ADMIN_PASSWORD);
    const settings = (await target.request({ url: '/v1/settings/application', token: admin })).body.settings
      .application;
    assert.equal(settings.webhooks.url, 'https://crm.example.com/hook');
    assert.equal(settings.webhooks.secret_set, true);
    assert.equal(settings.log_level, 'debug');
    assert.equal(settings.sent_status, true);
    assert.equal(target.node.settings.current().webhooks.secret, SECRET);
    const providers = await target.request({ url: '/v1/settings/application/media/providers', token: admin });
    assert.deepEqual(providers.body.settings.application.media.providers, PROVIDERS);
  });

  it("the templates are the source's, and the send check sees them at once", async () => {
    const admin = await target.login('admin', NEW_ADMIN_PASSWORD);
    const names = (await target.request({ url: '/sandbox/templates', token: admin })).body.templates.map(
      (tpl: any) => `${tpl.name}/${tpl.language}`,
    );
    assert.deepEqual(names, [
      'order_update/en_US',
      'order_update/pt_BR',
      'otp_code/en_US',
      'promo_image/en_US',
      'restored_notice/en_US',
    ]);
    assert.deepEqual(await templateCheck(target, 'restored_notice'), { ok: true, category: 'utility' });
    assert.equal(
      ((await templateCheck(target, 'hello_world')) as { code: number }).code,
      2001,
      'the cached hello_world is gone',
    );
  });

  it('the profile moved: About, the business profile and the compliance information', async () => {
    const admin = await target.login('admin', NEW_ADMIN_PASSWORD);
    const about = await target.request({ url: '/v1/settings/profile/about', token: admin });
    assert.equal(about.status, 200, about.text);
    assert.match(about.text, /Restored about text/);
    const business = await target.request({ url: '/v1/settings/business/profile', token: admin });
    assert.match(business.text, /help@example\.com/);
    assert.match(business.text, /https:\/\/shop\.example\.com/);
    const compliance = await target.request({ url: '/v1/settings/business/compliance_info', token: admin });
    assert.deepEqual(compliance.body.settings.business.compliance_info, {
      ...COMPLIANCE,
      entity_type_custom: '',
      is_registered: false,
    });
  });

  it('the registration and shard count moved: connecting, then connected, and sends work', async () => {
    const admin = await target.login('admin', NEW_ADMIN_PASSWORD);
    const health = async () => (await target.request({ url: '/v1/health', token: admin })).body.health.gateway_status;
    assert.equal(await health(), 'connecting');
    target.clock.advance(CONNECT_DELAY_MS);
    assert.equal(await health(), 'connected');
    assert.deepEqual((await target.request({ url: '/v1/account/shards', token: admin })).body.account, { shards: 4 });
    const sent = await target.request({
      method: 'POST',
      url: '/v1/messages',
      token: admin,
      body: { to: '16315551000', text: { body: 'hi' } },
    });
    assert.equal(sent.status, 201, sent.text);
  });

  it('survives a restart: the restore was durable', async () => {
    await target.restart();
    const admin = await target.login('admin', NEW_ADMIN_PASSWORD);
    assert.equal((await target.request({ url: '/v1/users/alice', token: admin })).status, 200);
    assert.equal(target.node.settings.current().webhooks.secret, SECRET);
    assert.deepEqual((await target.request({ url: '/v1/account/shards', token: admin })).body.account, { shards: 4 });
  });
});

describe('restores that are refused change nothing', () => {
  let source: TestNode;
  let target: TestNode;
  let data: string;
  let admin: string;
  const suite = suiteScope();
  before(async () => {
    source = await startTestNode(suite);
    target = await startTestNode(suite);
    await source.userToken('bob1', 'Bob-Pass1!');
    data = (await backupOf(source)).body.settings.data;
    admin = await target.adminToken();
    await target.userToken('carol', 'Carol-Pass1!');
  });

  const refused = async (body: unknown, code: number, details: RegExp | string) => {
    const before = await snapshot(target);
    assertError(await restore(target, admin, body), 400, code, details);
    assert.deepEqual(await snapshot(target), before);
  };

  it('a wrong password', async () => {
    await refused({ password: 'not the passphrase', data }, 1009, 'password does not open this backup');
  });

  it('an altered blob, a cut one, and text that is no backup', async () => {
    const bytes = Buffer.from(data, 'base64');
    const flipped = Buffer.from(bytes);
    flipped[flipped.length - 40]! ^= 0x80;
    await refused({ password: PASSWORD, data: flipped.toString('base64') }, 1009, /altered or damaged/);
    await refused(
      { password: PASSWORD, data: bytes.subarray(0, bytes.length - 10).toString('base64') },
      1009,
      /altered or damaged/,
    );
    await refused({ password: PASSWORD, data: bytes.subarray(0, 12).toString('base64') }, 1009, /cut short/);
    await refused({ password: PASSWORD, data: 'hello world' }, 1009, /not a backup made by \/v1\/settings\/backup/);
    await refused(
      { password: PASSWORD, data: Buffer.from('{"settings":{}}').toString('base64') },
      1009,
      /not a backup made by/,
    );
  });

  it('an unknown format version, and sections this server does not know', async () => {
    const bytes = Buffer.from(data, 'base64');
    bytes[4] = 9;
    await refused(
      { password: PASSWORD, data: bytes.toString('base64') },
      1009,
      /format version 9, which this server cannot read/,
    );
    const newer = await reseal(data, (payload) => {
      payload.sections.loyalty_points = [];
    });
    await refused({ password: PASSWORD, data: newer }, 1009, /sections this server does not know \(loyalty_points\)/);
  });

  it('a section that fails its check, whichever it is, stops the whole restore before anything is written', async () => {
    const cases: [(payload: any) => void, RegExp][] = [
      [
        (p) => {
          p.sections.users = p.sections.users.filter((u: any) => u.username !== 'admin');
        },
        /users has no built-in admin user with ROLE_ADMIN/,
      ],
      [
        (p) => {
          p.sections.users[0].password_hash = 'plain-text';
        },
        /users \[0\] \(\w+\) has no valid password hash/,
      ],
      [
        (p) => {
          p.sections.settings.application = { webhooks: { max_concurrent_requests: 7 } };
        },
        /settings application: webhooks.max_concurrent_requests must be one of/,
      ],
      [
        (p) => {
          p.sections.settings.application = { log_level: 3 };
        },
        /settings application.log_level must be a string/,
      ],
      [
        (p) => {
          p.sections.templates[0].components = '{"body":{"text":"{{2}}"}}';
        },
        /templates \[0\] \(\w+\) /,
      ],
      [
        (p) => {
          p.sections.templates.push(p.sections.templates[0]);
        },
        /templates \[\d+\] repeats the template/,
      ],
      [
        (p) => {
          p.sections.registration.shards = 3;
        },
        /registration has no valid shard count/,
      ],
      [
        (p) => {
          p.sections.registration.vname = 'Nul\u0000Name';
        },
        /registration has no valid verified name or certificate/,
      ],
      [
        (p) => {
          p.sections.profile.parts.push({ name: 'banner', value: '{}', data_base64: null, updated_at: 0 });
        },
        /profile \[\d+\] is not a profile part/,
      ],
      [
        (p) => {
          p.sections.profile.version = 2;
        },
        /profile is not a profile export of version 1/,
      ],
      [
        (p) => {
          p.sections.compliance.info = { ...COMPLIANCE, entity_type: 'TRUST' };
        },
        /compliance info: entity_type must be one of/,
      ],
      [
        (p) => {
          p.sections.compliance.info = { ...COMPLIANCE, customer_care_details: 'support' };
        },
        /compliance info does not have the fields/,
      ],
      [
        (p) => {
          p.format = 'something-else';
        },
        /does not hold a readable backup/,
      ],
    ];
    for (const [change, details] of cases)
      await refused({ password: PASSWORD, data: await reseal(data, change) }, 1009, details);
  });

  it('a backup of another number, on an installation that serves a different one', async (context) => {
    const other = await startTestNode(context, { env: { WA_SANDBOX_BUSINESS_NUMBER: '+44 7400 123456' } });
    const before = await snapshot(other);
    const response = await restore(other, await other.adminToken(), { password: PASSWORD, data });
    assertError(
      response,
      400,
      1009,
      /registration is of the number \+16315550000, and this server serves \+447400123456/,
    );
    assert.deepEqual(await snapshot(other), before);
  });

  it('bad bodies: the password rules and the fields', async () => {
    await refused({ password: '', data }, 1009, 'password must be 1 to 1024 characters long');
    await refused({ password: 'p'.repeat(1025), data }, 1009, 'password must be 1 to 1024 characters long');
    await refused({ data }, 1008, /missing required parameter password/);
    await refused({ password: PASSWORD }, 1008, /missing required parameter data/);
    await refused({ password: PASSWORD, data: 42 }, 1009, /data must be of type string/);
    await refused({ password: PASSWORD, data, force: true }, 1010, /force is not an accepted parameter/);
    assertError(await backupOf(source, ''), 400, 1009, 'password must be 1 to 1024 characters long');
    assertError(
      await source.request({ method: 'POST', url: '/v1/settings/backup', token: await source.adminToken(), body: {} }),
      400,
      1008,
      /password/,
    );
    const extra = await source.request({
      method: 'POST',
      url: '/v1/settings/backup',
      token: await source.adminToken(),
      body: { password: 'x', data: 'y' },
    });
    assertError(extra, 400, 1010, /data is not an accepted parameter/);
  });

  it('a failure half-way through the writes rolls every section back', async () => {
    // The real users section, then one whose write fails: the users it replaced must come back.
    const failing = {
      name: 'failing',
      export: async () => null,
      check: () => null,
      import: async () => {
        throw new Error('disk full');
      },
    };
    const service = createBackupService({
      db: target.node.db.db,
      clock: target.clock,
      productVersion: 'test',
      log: { warn() {} },
      sections: [usersSection({ forgetAll() {} }), failing],
    });
    const sealed = await reseal(data, (payload) => {
      payload.sections = { users: payload.sections.users, failing: null };
    });
    const before = await snapshot(target);
    await assert.rejects(service.restore(PASSWORD, sealed), /disk full/);
    assert.deepEqual(await snapshot(target), before);
    assert.equal(
      (await target.request({ url: '/v1/health', token: admin })).status,
      200,
      'sessions were not ended either',
    );
  });

  it('the same backup restores onto an installation that is already registered', async () => {
    const response = await restore(target, admin, { password: PASSWORD, data });
    assert.equal(response.status, 200, response.text);
    assert.equal(
      (await target.request({ method: 'POST', url: '/v1/users/login', basic: ['carol', 'Carol-Pass1!'] })).status,
      401,
    );
    assert.equal(typeof (await target.login('bob1', 'Bob-Pass1!')), 'string');
  });
});

describe('access to backup and restore', () => {
  let t: TestNode;
  const suite = suiteScope();
  before(async () => {
    t = await startTestNode(suite);
    await t.userToken('backupuser', 'Backup-Pass1!');
  });

  const callers = { admin: () => t.login('admin', ADMIN_PASSWORD), user: () => t.login('backupuser', 'Backup-Pass1!') };
  it('POST /v1/settings/backup is admin only', () =>
    checkRouteSecurity(
      t,
      {
        method: 'POST',
        pattern: '/v1/settings/backup',
        url: '/v1/settings/backup',
        body: { password: 'x' },
        access: 'admin',
        expect: 200,
      },
      callers,
    ));
  it('POST /v1/settings/restore is admin only', () =>
    checkRouteSecurity(
      t,
      {
        method: 'POST',
        pattern: '/v1/settings/restore',
        url: '/v1/settings/restore',
        body: { password: 'x', data: 'AAAA' },
        access: 'admin',
        expect: 400,
      },
      callers,
    ));
});
