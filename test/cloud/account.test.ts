// Health, profile, two-step and registration on the cloud gateway against the fake Graph server: health from the
// phone number's fields, the business profile and About read from and written to whatsapp_business_profile, the
// photo through the Resumable Upload API, the two operations Cloud lacks answered 400 / 1025, and registration
// as request_code → verify_code → register with the routes' On-Prem answers.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { openBackup } from '../../src/lib/backup-crypto.js';
import { buildVerifiedNameCert } from '../../src/lib/verified-name-cert.js';
import { assertError } from '../support/assertions.js';
import { FAKE_APP_ID, FAKE_PNID, FAKE_TOKEN, type FakeGraph } from '../support/fake-graph.js';
import { startCloudNode, type CloudNode } from '../support/cloud-node.js';
import { suiteScope, type TestNode } from '../support/harness.js';
import { makePng } from '../support/images.js';

const CERT = buildVerifiedNameCert('Acme Cloud Shop');

describe('cloud gateway: health, profile, registration', () => {
  let fake: FakeGraph;
  let t: TestNode;
  let admin: string;
  const health = async () => (await t.request({ url: '/v1/health', token: admin })).body.health.gateway_status;

  let cloud: CloudNode;
  const suite = suiteScope();
  before(async () => {
    cloud = await startCloudNode(suite);
    ({ fake, t, admin } = cloud);
  });

  it('reports health from the phone number fields', async () => {
    assert.equal(await health(), 'connected');
    const read = fake.of('getPhoneNumber').at(-1)!;
    assert.match(read.query.get('fields') ?? '', /status.*quality_rating.*code_verification_status.*health_status/);
    fake.phoneNumber = { ...fake.phoneNumber, health_status: { can_send_message: 'BLOCKED' } };
    assert.equal(await t.node.cloud!.gateway.refresh(), 'disconnected');
    fake.phoneNumber = {
      ...fake.phoneNumber,
      platform_type: 'NOT_APPLICABLE',
      health_status: { can_send_message: 'AVAILABLE' },
    };
    await t.node.cloud!.gateway.refresh();
    assert.equal(await health(), 'unregistered');
    assertError(
      await t.request({
        method: 'POST',
        url: '/v1/messages',
        token: admin,
        body: { to: '16315551001', text: { body: 'x' } },
      }),
      503,
      1011,
    );
    fake.failNext('getPhoneNumber', { status: 401, code: 190 });
    await t.node.cloud!.gateway.refresh();
    assert.equal(await health(), 'disconnected');
    fake.phoneNumber = { ...fake.phoneNumber, platform_type: 'CLOUD_API' };
    await t.node.cloud!.gateway.refresh();
    assert.equal(await health(), 'connected');
  });

  it('reads and writes the business profile and About at Meta', async () => {
    const patched = await t.request({
      method: 'POST',
      url: '/v1/settings/business/profile',
      token: admin,
      body: { address: '1 Main St', vertical: 'Automotive', websites: ['https://example.com'] },
    });
    assert.equal(patched.status, 200, patched.text);
    assert.deepEqual(fake.of('updateProfile').at(-1)!.body, {
      messaging_product: 'whatsapp',
      address: '1 Main St',
      vertical: 'AUTO',
      websites: ['https://example.com'],
    });
    const got = await t.request({ url: '/v1/settings/business/profile', token: admin });
    assert.deepEqual(got.body.settings.business.profile, {
      address: '1 Main St',
      description: '',
      email: '',
      vertical: 'Automotive',
      websites: ['https://example.com'],
    });

    const about = await t.request({
      method: 'PATCH',
      url: '/v1/settings/profile/about',
      token: admin,
      body: { text: 'Open 9-5' },
    });
    assert.equal(about.status, 200, about.text);
    const read = await t.request({ url: '/v1/settings/profile/about', token: admin });
    assert.equal(read.body.settings.profile.about.text, 'Open 9-5');
    assertError(
      await t.request({
        method: 'PATCH',
        url: '/v1/settings/profile/about',
        token: admin,
        body: { text: 'x'.repeat(140) },
      }),
      400,
      1009,
    );
    assert.deepEqual(fake.schemaViolations, []);
  });

  it('sets the photo through the Resumable Upload API; removing it has no Cloud equivalent', async () => {
    const photo = makePng(256, 256);
    const response = await t.request({
      method: 'POST',
      url: '/v1/settings/profile/photo',
      token: admin,
      payload: photo,
      headers: { 'content-type': 'image/png' },
    });
    assert.equal(response.status, 200, response.text);
    const session = fake.of('createUploadSession').at(-1)!;
    assert.equal(session.path, `/v23.0/${FAKE_APP_ID}/uploads`);
    assert.equal(session.query.get('file_length'), String(photo.length));
    assert.equal(session.query.get('file_type'), 'image/png');
    assert.deepEqual(fake.of('uploadFile').at(-1)!.body, { size: photo.length, offset: '0' });
    assert.match(fake.of('updateProfile').at(-1)!.body.profile_picture_handle, /^4::/);
    const got = await t.node.app.server.inject({
      method: 'GET',
      url: '/v1/settings/profile/photo',
      headers: { authorization: `Bearer ${admin}` },
    });
    assert.equal(got.statusCode, 200);
    assert.deepEqual(got.rawPayload, photo);
    assert.equal(got.headers['content-type'], 'image/png');
    assert.equal(fake.of('downloadPublic').at(-1)!.headers.authorization, undefined, 'our token goes to no public URL');
    assertError(
      await t.request({ method: 'DELETE', url: '/v1/settings/profile/photo', token: admin }),
      400,
      1025,
      /WhatsApp Manager/,
    );
  });

  it('sets the two-step PIN at Meta; turning it off has no Cloud equivalent', async () => {
    const response = await t.request({
      method: 'POST',
      url: '/v1/settings/account/two-step',
      token: admin,
      body: { pin: '123456' },
    });
    assert.equal(response.status, 200, response.text);
    assert.deepEqual(fake.of('updatePhoneNumber').at(-1)!.body, { pin: '123456' });
    assert.equal(fake.of('updatePhoneNumber').at(-1)!.path, `/v23.0/${FAKE_PNID}`);
    assertError(
      await t.request({ method: 'DELETE', url: '/v1/settings/account/two-step', token: admin }),
      400,
      1025,
      /WhatsApp Manager/,
    );
  });

  it('registers: request_code, then verify_code and register with the PIN', async () => {
    const body = { cc: '1', phone_number: '6315550000', method: 'sms', cert: CERT, pin: '654321' };
    assert.equal(
      (await t.request({ method: 'POST', url: '/v1/account', token: admin, body })).status,
      201,
      'connected: already registered',
    );

    fake.phoneNumber = { ...fake.phoneNumber, platform_type: 'NOT_APPLICABLE' };
    const { pin: _pin, ...withoutPin } = body;
    assertError(
      await t.request({ method: 'POST', url: '/v1/account', token: admin, body: withoutPin }),
      400,
      1008,
      /needs the 6-digit two-step PIN/,
    );
    assert.equal(fake.of('requestCode').length, 0, 'no code is spent without the PIN');
    const requested = await t.request({ method: 'POST', url: '/v1/account', token: admin, body });
    assert.equal(requested.status, 202, requested.text);
    assert.deepEqual(requested.body.account, [{ vname: 'Acme Cloud Shop' }]);
    assert.deepEqual(fake.of('requestCode').at(-1)!.body, { code_method: 'SMS', language: 'en_US' });

    fake.phoneNumber = { ...fake.phoneNumber, platform_type: 'CLOUD_API' };
    const verified = await t.request({
      method: 'POST',
      url: '/v1/account/verify',
      token: admin,
      body: { code: '123-456' },
    });
    assert.equal(verified.status, 201, verified.text);
    assert.deepEqual(fake.of('verifyCode').at(-1)!.body, { code: '123456' });
    assert.deepEqual(fake.of('register').at(-1)!.body, { messaging_product: 'whatsapp', pin: '654321' });
    assert.equal(await health(), 'connected');
    assert.deepEqual(fake.schemaViolations, []);
  });

  it('keeps the Cloud token out of backups', async () => {
    const backup = await t.request({
      method: 'POST',
      url: '/v1/settings/backup',
      token: admin,
      body: { password: 'Backup-Pass1!' },
    });
    assert.equal(backup.status, 200, backup.text);
    const opened = (await openBackup(backup.body.settings.data, 'Backup-Pass1!')) as { value: Buffer };
    const plain = opened.value.toString();
    assert.ok(plain.length > 100 && !plain.includes(FAKE_TOKEN));
  });
});
