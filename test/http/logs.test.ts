// What the log says at the default level: failed answers with their WhatsApp code, failed logins and lock-outs,
// admin actions with the fields they changed, and no secret anywhere, whatever the scenario put through the API.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { buildVerifiedNameCert } from '../../src/lib/verified-name-cert.js';
import {
  ADMIN_PASSWORD,
  eventually,
  startAdminNode,
  startTestNode,
  suiteScope,
  type TestNode,
} from '../support/harness.js';
import { REFUSAL_WINDOW_MS } from '../../src/http/hooks/request-log.js';
import { captureLogs, LEVEL, type LogCapture, type LogLine } from '../support/log-capture.js';
import { makeChain } from '../support/pki.js';

describe('logs', () => {
  let t: TestNode;
  let logs: LogCapture;
  let admin: string;
  /** The one line with this message written after `since`, once it is there (onResponse runs after the answer). */
  const oneLine = async (msg: string, since: number): Promise<LogLine> =>
    eventually(async () => {
      const found = logs.withMessage(msg, since);
      assert.ok(found.length <= 1, `one "${msg}" line, not ${found.length}`);
      return found[0];
    });

  const suite = suiteScope();
  before(async () => {
    logs = captureLogs('debug');
    ({ t, admin } = await startAdminNode(suite, { logger: logs.logger }));
  });

  it('a 4xx answer is one info line with the WhatsApp code, title and details; a 2xx one is a debug line', async () => {
    const since = logs.mark();
    const missing = await t.request({ url: '/v1/users/nobody', token: admin });
    assert.equal(missing.status, 404);
    const line = await oneLine('request failed', since);
    assert.equal(line.level, LEVEL.info);
    assert.deepEqual(
      { method: line.method, url: line.url, status: line.status, code: line.code, title: line.title, user: line.user },
      { method: 'GET', url: '/v1/users/nobody', status: 404, code: 1006, title: 'Resource not found', user: 'admin' },
    );
    assert.equal(line.details, 'user nobody does not exist');
    assert.ok(typeof line.reqId === 'string' && typeof line.ms === 'number');

    const okSince = logs.mark();
    assert.equal((await t.request({ url: '/v1/health', token: admin })).status, 200);
    const answered = await oneLine('request answered', okSince);
    assert.equal(answered.level, LEVEL.debug);
    assert.equal(answered.status, 200);
  });

  it('neither the query string nor the body of a failed request is logged', async () => {
    const since = logs.mark();
    const response = await t.request({
      method: 'POST',
      url: '/v1/users?key=query-value-1',
      token: admin,
      body: { username: 'x', password: 'Body-Value-77!', extra: 1 },
    });
    assert.equal(response.status, 400);
    const line = await oneLine('request failed', since);
    assert.equal(line.url, '/v1/users');
    assert.equal(line.code, 1010, 'unknown parameter');
    assert.ok(!logs.raw().includes('query-value-1') && !logs.raw().includes('Body-Value-77!'));
  });

  it('a failed login is an info line with username and address; the lock-out is a warn line; no password', async () => {
    await t.userToken('victim', 'Victim-Pass1!');
    const since = logs.mark();
    for (let i = 0; i < 5; i++) {
      const response = await t.request({
        method: 'POST',
        url: '/v1/users/login',
        basic: ['victim', `Guess-${i}-Wrong!`],
      });
      assert.equal(response.status, 401);
    }
    const locked = await t.request({ method: 'POST', url: '/v1/users/login', basic: ['victim', 'Victim-Pass1!'] });
    assert.equal(locked.status, 429);
    const failed = logs.withMessage('login failed', since);
    assert.equal(failed.length, 5);
    for (const line of failed) {
      assert.equal(line.level, LEVEL.info);
      assert.equal(line.username, 'victim');
      assert.equal(line.address, '127.0.0.1');
      assert.equal(line.knownUser, true);
    }
    const lockouts = logs.withMessage('login locked out after repeated failures', since);
    assert.equal(lockouts.length, 1, 'one lock-out line when it starts, none per refused login');
    assert.equal(lockouts[0]!.level, LEVEL.warn);
    assert.equal(lockouts[0]!.username, 'victim');
    assert.equal(lockouts[0]!.lockedForMs, 1000);
    // The request lines of those answers stay at debug: the lines above already say it, with the username.
    const refused = await eventually(async () =>
      logs.withMessage('request failed', since).find((line) => line.status === 429),
    );
    assert.equal(refused.code, 1015);
    const loginAnswers = logs.withMessage('request failed', since).filter((line) => line.url === '/v1/users/login');
    assert.equal(loginAnswers.length, 6);
    assert.ok(loginAnswers.every((line) => line.level === LEVEL.debug));
    for (let i = 0; i < 5; i++) assert.ok(!logs.raw().includes(`Guess-${i}-Wrong!`));
    assert.ok(!logs.raw().includes('Victim-Pass1!'));
  });

  it('admin actions are info lines with who, the target and the changed fields, and no secret value', async () => {
    const secret = 'webhook-secret-never-logged-42';
    const backupPassword = 'backup passphrase never logged';
    const userPassword = 'Created-User-Pass9!';
    const chain = await makeChain({ name: 'Logged' });
    const since = logs.mark();

    assert.equal(
      (
        await t.request({
          method: 'POST',
          url: '/v1/users',
          token: admin,
          body: { username: 'crm-bot', password: userPassword },
        })
      ).status,
      201,
    );
    assert.equal(
      (
        await t.request({
          method: 'PUT',
          url: '/v1/users/crm-bot',
          token: admin,
          body: { password: `${userPassword}x` },
        })
      ).status,
      200,
    );
    const settings = await t.request({
      method: 'PATCH',
      url: '/v1/settings/application',
      token: admin,
      body: {
        webhooks: { url: 'http://127.0.0.1:9/hook?key=url-query-secret', secret, message: { delivered: true } },
        callback_persist: true,
      },
    });
    assert.equal(settings.status, 200, settings.text);
    const upload = await t.request({
      method: 'POST',
      url: '/v1/certificates/webhooks/ca',
      token: admin,
      payload: chain.root.certPem,
      headers: { 'content-type': 'text/plain' },
    });
    assert.equal(upload.status, 200, upload.text);
    const external = await t.request({
      method: 'POST',
      url: '/v1/certificates/external',
      token: admin,
      payload: chain.leaf.keyPem + chain.leaf.certPem + chain.intermediate.certPem,
      headers: { 'content-type': 'text/plain' },
    });
    assert.equal(external.status, 200, external.text);
    const backup = await t.request({
      method: 'POST',
      url: '/v1/settings/backup',
      token: admin,
      body: { password: backupPassword },
    });
    assert.equal(backup.status, 200, backup.text);
    assert.equal((await t.request({ method: 'DELETE', url: '/v1/users/crm-bot', token: admin })).status, 200);
    const compliance = await t.request({
      method: 'POST',
      url: '/v1/settings/business/compliance_info',
      token: admin,
      body: {
        entity_name: 'Lucky Shrub',
        entity_type: 'PRIVATE_COMPANY',
        customer_care_details: { email: 'care@example.com', mobile_number: '+913854559033' },
        grievance_officer_details: { name: 'C. P.', email: 'officer@example.com', mobile_number: '+913854559033' },
      },
    });
    assert.equal(compliance.status, 200, compliance.text);

    const created = await oneLine('user created', since);
    assert.deepEqual(
      { level: created.level, by: created.by, username: created.username },
      { level: LEVEL.info, by: 'admin', username: 'crm-bot' },
    );
    assert.equal((await oneLine('password changed', since)).username, 'crm-bot');
    const changed = await oneLine('application settings changed', since);
    assert.deepEqual(changed.fields, [
      'webhooks.url',
      'webhooks.secret',
      'webhooks.message.delivered',
      'callback_persist',
    ]);
    assert.equal((await oneLine('webhooks CA bundle uploaded', since)).by, 'admin');
    assert.equal((await oneLine('external certificate uploaded', since)).level, LEVEL.info);
    assert.equal((await oneLine('backup taken', since)).level, LEVEL.info);
    assert.equal((await oneLine('user deleted', since)).username, 'crm-bot');
    assert.deepEqual((await oneLine('business compliance information changed', since)).fields, [
      'entity_name',
      'entity_type',
      'customer_care_details.email',
      'customer_care_details.mobile_number',
      'grievance_officer_details.name',
      'grievance_officer_details.email',
      'grievance_officer_details.mobile_number',
    ]);

    const raw = logs.raw();
    const blob = backup.body.settings.data as string;
    for (const value of [
      secret,
      backupPassword,
      userPassword,
      ADMIN_PASSWORD,
      admin,
      'url-query-secret',
      blob.slice(0, 40),
    ]) {
      assert.ok(!raw.includes(value), `"${value.slice(0, 20)}…" is in no log line`);
    }
    const keyBody = chain.leaf.keyPem.split('\n')[1]!;
    assert.ok(!raw.includes(keyBody), 'no line of the uploaded private key');
  });

  it('a failed admin action writes no audit line, only its request line', async () => {
    const since = logs.mark();
    assert.equal((await t.request({ method: 'DELETE', url: '/v1/users/nobody', token: admin })).status, 404);
    const line = await oneLine('request failed', since);
    assert.equal(line.code, 1006);
    assert.equal(logs.withMessage('user deleted', since).length, 0);
  });

  // Last: a restore ends every session.
  it('a sandbox template created and a backup restored are logged, the restore without its data', async () => {
    const since = logs.mark();
    const template = {
      name: 'logged_notice',
      language: 'en_US',
      category: 'UTILITY',
      components: { body: { text: 'Hi {{1}}.' } },
    };
    const created = await t.request({ method: 'POST', url: '/sandbox/templates', token: admin, body: template });
    assert.equal(created.status, 201, created.text);
    const line = await oneLine('sandbox template created', since);
    assert.deepEqual(
      { level: line.level, by: line.by, name: line.name, language: line.language },
      { level: LEVEL.info, by: 'admin', name: 'logged_notice', language: 'en_US' },
    );
    const password = 'restore passphrase never logged';
    const backup = await t.request({ method: 'POST', url: '/v1/settings/backup', token: admin, body: { password } });
    const data = backup.body.settings.data as string;
    const restored = await t.request({
      method: 'POST',
      url: '/v1/settings/restore',
      token: admin,
      body: { password, data },
    });
    assert.equal(restored.status, 200, restored.text);
    assert.equal((await oneLine('backup restored', since)).by, 'admin');
    assert.ok(!logs.raw().includes(password) && !logs.raw().includes(data.slice(-40)));
  });

  it('the pino redaction hides a secret a log call names by mistake', () => {
    const since = logs.mark();
    logs.logger.info(
      { password: 'oops-1', webhooks: { secret: 'oops-2' }, headers: { authorization: 'Bearer oops-3' } },
      'careless line',
    );
    const [line] = logs.withMessage('careless line', since);
    assert.equal(line!.password, '[redacted]');
    assert.deepEqual(line!.webhooks, { secret: '[redacted]' });
    assert.ok(!logs.raw().includes('oops-'));
  });
});

describe('logs: registration', () => {
  let t: TestNode;
  let logs: LogCapture;
  const suite = suiteScope();
  before(async () => {
    logs = captureLogs('info');
    t = await startTestNode(suite, { logger: logs.logger, env: { WA_SANDBOX_REGISTERED: 'false' } });
  });

  it('requesting and verifying the code are admin lines; the gateway status change is a line at the next heartbeat', async () => {
    const admin = await t.adminToken();
    await t.node.cluster.heartbeat();
    const since = logs.mark();
    const body = { cc: '1', phone_number: '6315550000', method: 'sms', cert: buildVerifiedNameCert('Logged Shop') };
    assert.equal((await t.request({ method: 'POST', url: '/v1/account', token: admin, body })).status, 202);
    const requested = await eventually(async () => logs.withMessage('registration code requested', since)[0]);
    assert.deepEqual(
      { cc: requested.cc, phone_number: requested.phone_number, method: requested.method, cert: requested.cert },
      { cc: '1', phone_number: '6315550000', method: 'sms', cert: undefined },
    );
    const code = (await t.request({ url: '/sandbox/account/code', token: admin })).body.account[0].code as string;
    assert.equal(
      (await t.request({ method: 'POST', url: '/v1/account/verify', token: admin, body: { code } })).status,
      201,
    );
    await eventually(
      async () => logs.withMessage('registration code verified: the business number is registered', since)[0],
    );
    assert.ok(!logs.raw().includes(code), 'the registration code is not logged');
    await t.node.cluster.heartbeat();
    const [changed] = logs.withMessage('gateway status changed', since);
    assert.equal(changed?.level, LEVEL.info);
    assert.equal(changed?.from, 'unregistered');
    assert.match(String(changed?.to), /^(connecting|connected)$/);
  });
});

describe('logs: refusals under load', () => {
  let t: TestNode;
  let logs: LogCapture;
  const suite = suiteScope();
  before(async () => {
    logs = captureLogs('info');
    // One request a second for authenticated callers: every request past the first in a burst is 429 / 1015.
    t = await startTestNode(suite, { logger: logs.logger, env: { WA_RATE_LIMIT_DEFAULT: '1/1' } });
  });

  it('a flood of 429s is one line per window, the next one saying how many were left out', async () => {
    const admin = await t.adminToken();
    const support = async () => (await t.request({ url: '/v1/support', token: admin })).status;
    const since = logs.mark();
    const flood: number[] = [];
    for (let i = 0; i < 20; i++) flood.push(await support());
    const refused = flood.filter((status) => status === 429).length;
    assert.ok(refused >= 19, flood.join(' '));
    const first = await eventually(async () => logs.withMessage('request failed', since)[0]);
    assert.deepEqual(
      { status: first.status, code: first.code, alsoRefused: first.alsoRefused },
      { status: 429, code: 1015, alsoRefused: undefined },
    );
    assert.equal(logs.withMessage('request failed', since).length, 1, 'one line for the whole burst');

    t.clock.advance(REFUSAL_WINDOW_MS);
    const next = logs.mark();
    while ((await support()) !== 429);
    const summary = await eventually(async () => logs.withMessage('request failed', next)[0]);
    assert.equal(summary.alsoRefused, refused - 1, 'the refusals left out of the log since its last line');
  });
});
