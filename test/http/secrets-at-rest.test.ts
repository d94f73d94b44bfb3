// Secrets at rest: the webhook secret, media providers' credentials and the uploaded private key never reach the
// database in clear text (raw SQLite file and WAL bytes, every PostgreSQL row as JSON); a database an older release
// left in clear text is sealed at the next start and keeps working (signed callbacks, the uploaded certificate
// served); a node holding another key refuses to start; a backup restores into an installation with another key.
import assert from 'node:assert/strict';
import { createHmac, randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import tls from 'node:tls';
import { before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { ConfigError } from '../../src/config.js';
import { createSecretsSealer, sealedKeyId } from '../../src/lib/sealed-secrets.js';
import { assertError } from '../support/assertions.js';
import { createCertificatesRepository } from '../../src/db/repositories/certificates.js';
import { createSettingsRepository, sealSettingsText } from '../../src/db/repositories/settings.js';
import { ADMIN_PASSWORD, eventually, startTestNode, suiteScope, type TestNode } from '../support/harness.js';
import { externalUpload, makeChain, type TestChain } from '../support/pki.js';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.js';

const WEBHOOK_SECRET = 'webhook-secret-at-rest-0001';
const BEARER = 'provider-bearer-at-rest-0002';
const BASIC_PASSWORD = 'provider-password-at-rest-0003';
const PROVIDERS = [
  { name: 'cdn', type: 'www', config: { bearer: BEARER } },
  { name: 'intranet', type: 'www', config: { basic: { username: 'media', password: BASIC_PASSWORD } } },
];
const SECRETS = [WEBHOOK_SECRET, BEARER, BASIC_PASSWORD, 'PRIVATE KEY'];
const OTHER_KEY = randomBytes(32).toString('base64');

/** Everything the database holds, as an attacker with the files or a dump would read it. */
async function rawDatabase(t: TestNode): Promise<string> {
  if (t.node.db.dialect === 'sqlite') {
    const file = path.join(t.env.WA_DATA_DIR!, 'openprem.sqlite');
    const parts = await Promise.all([file, `${file}-wal`].map((name) => readFile(name).catch(() => Buffer.alloc(0))));
    return Buffer.concat(parts).toString('latin1');
  }
  const tables = await sql<{
    name: string;
  }>`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema()`.execute(
    t.node.db.db,
  );
  const rows: string[] = [];
  for (const { name } of tables.rows) {
    const dump = await sql<{ row: string }>`SELECT row_to_json(t)::text AS row FROM ${sql.table(name)} t`.execute(
      t.node.db.db,
    );
    rows.push(...dump.rows.map((r) => r.row));
  }
  return rows.join('\n');
}

async function assertNoSecretIn(t: TestNode): Promise<void> {
  const raw = await rawDatabase(t);
  assert.ok(raw.includes('enc:v1:'), 'the raw read reaches the sealed values');
  for (const secret of SECRETS) assert.ok(!raw.includes(secret), `"${secret}" is not readable in the database`);
}

async function presentedFingerprint(t: TestNode, chain: TestChain): Promise<string> {
  // Fastify cannot listen again once closed: the node's own close() stops the listener.
  const address = await t.node.app.server.listen({ host: '127.0.0.1', port: 0 });
  return new Promise<string>((resolve, reject) => {
    const socket = tls.connect(
      { host: '127.0.0.1', port: Number(new URL(address).port), ca: chain.root.certPem, servername: 'localhost' },
      () => {
        resolve(socket.getPeerCertificate().fingerprint256);
        socket.end();
      },
    );
    socket.on('error', reject);
  });
}

describe('secrets at rest', () => {
  let t: TestNode;
  let receiver: WebhookReceiver;
  let chain: TestChain;
  let number = 2000;
  const suite = suiteScope();
  before(async () => {
    receiver = await startWebhookReceiver();
    suite.after(() => receiver.close());
    chain = await makeChain({ name: 'Sealed' });
    t = await startTestNode(suite, { env: { WA_TLS: 'self-signed' } });
  });

  // A fresh login each time: a restore replaces the users, and with them the tokens a node handed out.
  const adminOf = (node: TestNode) => node.login('admin', ADMIN_PASSWORD);
  const admin = () => adminOf(t);
  const configure = async (node: TestNode) => {
    const token = await node.adminToken();
    const patched = await node.request({
      method: 'PATCH',
      url: '/v1/settings/application',
      token,
      body: { webhooks: { url: receiver.url, secret: WEBHOOK_SECRET } },
    });
    assert.equal(patched.status, 200, patched.text);
    const providers = await node.request({
      method: 'POST',
      url: '/v1/settings/application/media/providers',
      token,
      body: PROVIDERS,
    });
    assert.equal(providers.status, 200, providers.text);
  };
  /** A no_wait contact check on `node`; resolves with its callback as the receiver got it. */
  const callbackFrom = async (node: TestNode) => {
    const input = `+1 631 555 ${++number}`;
    const response = await node.request({
      method: 'POST',
      url: '/v1/contacts',
      token: await adminOf(node),
      body: { contacts: [input] },
    });
    assert.equal(response.body.contacts[0].status, 'processing', response.text);
    await node.node.lookupWorker.runOnce();
    await node.node.webhooks.dispatcher.runOnce();
    return eventually(async () => receiver.received.find((r) => r.body?.contacts?.[0]?.input === input));
  };
  const assertSignedWithSecret = async (node: TestNode) => {
    const callback = await callbackFrom(node);
    assert.equal(
      callback.headers['x-hub-signature-256'],
      `sha256=${createHmac('sha256', WEBHOOK_SECRET).update(callback.raw).digest('hex')}`,
    );
  };
  const providersOf = async (node: TestNode) => {
    const response = await node.request({
      url: '/v1/settings/application/media/providers',
      token: await adminOf(node),
    });
    assert.equal(response.status, 200, response.text);
    return response.body.settings.application.media.providers;
  };

  it('stores the webhook secret, provider credentials and uploaded key sealed; GET shows only secret_set', async () => {
    await configure(t);
    const upload = await t.request({
      method: 'POST',
      url: '/v1/certificates/external',
      token: await admin(),
      payload: externalUpload(chain),
      headers: { 'content-type': 'text/plain' },
    });
    assert.equal(upload.status, 200, upload.text);
    await assertNoSecretIn(t);
    const settings = await t.request({ url: '/v1/settings/application', token: await admin() });
    assert.equal(settings.body.settings.application.webhooks.secret_set, true);
    assert.ok(!settings.text.includes(WEBHOOK_SECRET));
    assert.deepEqual(await providersOf(t), PROVIDERS);
    await assertSignedWithSecret(t);
  });

  it('seals at start what an older release left in clear text; signing and the uploaded certificate keep working', async () => {
    // Put the database back as a release without sealing wrote it: every secret in clear, no key recorded.
    const settings = createSettingsRepository(t.node.db.db, t.node.sealer);
    const certificates = createCertificatesRepository(t.node.db.db, t.node.sealer);
    const db = t.node.db.db;
    for (const name of ['application', 'media_providers'] as const) {
      await db
        .updateTable('settings')
        .set({ value: (await settings.read(name))!.value })
        .where('name', '=', name)
        .execute();
    }
    await db
      .updateTable('certificates')
      .set({ pem: (await certificates.read('external'))!.pem })
      .where('name', '=', 'external')
      .execute();
    await db.deleteFrom('settings').where('name', '=', 'secrets_key').execute();
    assert.ok((await rawDatabase(t)).includes(WEBHOOK_SECRET), 'the legacy state holds clear text');

    await t.restart();
    await assertNoSecretIn(t);
    const stored = await t.node.db.db.selectFrom('settings').select(['name', 'value']).execute();
    assert.deepEqual(JSON.parse(stored.find((row) => row.name === 'secrets_key')!.value), {
      key_id: t.node.sealer.keyId,
    });
    assert.equal(t.node.tlsSource, 'uploaded');
    assert.equal(await presentedFingerprint(t, chain), chain.leaf.certificate.fingerprint256);
    assert.deepEqual(await providersOf(t), PROVIDERS);
    await assertSignedWithSecret(t);
  });

  it('a node holding another key refuses to start on the database, in one line saying what to do', async (context) => {
    await assert.rejects(
      startTestNode(context, { shareDatabaseOf: t, env: { WA_SECRETS_KEY: OTHER_KEY } }),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.match(
          error.message,
          new RegExp(
            `^WA_SECRETS_KEY: the database's secrets are sealed with key ${t.node.sealer.keyId}, but this node's key is [0-9a-f]{16}: set the same WA_SECRETS_KEY on every node`,
          ),
        );
        assert.ok(!error.message.includes(OTHER_KEY) && !error.message.includes('\n'));
        return true;
      },
    );
    await assertSignedWithSecret(t);
  });

  it('a secret sealed with another key met while serving is a clear 500 naming the fix, never a crash or a wrong value', async () => {
    const db = t.node.db.db;
    const kept = await db
      .selectFrom('settings')
      .select('value')
      .where('name', '=', 'media_providers')
      .executeTakeFirstOrThrow();
    const foreign = sealSettingsText(
      'media_providers',
      JSON.stringify(PROVIDERS),
      createSecretsSealer(Buffer.from(OTHER_KEY, 'base64')),
    );
    await db.updateTable('settings').set({ value: foreign }).where('name', '=', 'media_providers').execute();
    const response = await t.request({ url: '/v1/settings/application/media/providers', token: await admin() });
    assertError(
      response,
      500,
      1000,
      /media_providers settings hold a secret this node cannot open: .* give every node the same WA_SECRETS_KEY/,
    );
    assert.ok(!response.text.includes(BEARER));
    await db.updateTable('settings').set({ value: kept.value }).where('name', '=', 'media_providers').execute();
    assert.deepEqual(await providersOf(t), PROVIDERS);
  });

  it('a backup carries the secrets to an installation with another key, which seals them with its own', async (context) => {
    const backup = await t.request({
      method: 'POST',
      url: '/v1/settings/backup',
      token: await admin(),
      body: { password: 'backup passphrase' },
    });
    assert.equal(backup.status, 200, backup.text);
    const target = await startTestNode(context, { env: { WA_SECRETS_KEY: OTHER_KEY, WA_SANDBOX_REGISTERED: 'false' } });
    assert.notEqual(target.node.sealer.keyId, t.node.sealer.keyId);
    const restored = await target.request({
      method: 'POST',
      url: '/v1/settings/restore',
      token: await target.adminToken(),
      body: { password: 'backup passphrase', data: backup.body.settings.data },
    });
    assert.equal(restored.status, 200, restored.text);
    await assertNoSecretIn(target);
    const application = await target.node.db.db
      .selectFrom('settings')
      .select('value')
      .where('name', '=', 'application')
      .executeTakeFirstOrThrow();
    assert.equal(sealedKeyId(JSON.parse(application.value).webhooks.secret), target.node.sealer.keyId);
    assert.deepEqual(await providersOf(target), PROVIDERS);
    await assertSignedWithSecret(target);
  });
});
