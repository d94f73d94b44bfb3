// /v1/certificates (docs/api/certificates.md): the external certificate upload and its CA, the webhooks CA bundle,
// their validation and error codes, durability, access control, and the uploaded certificate served over real HTTPS by
// another node on the same database.
import assert from 'node:assert/strict';
import { createPrivateKey, createPublicKey, X509Certificate } from 'node:crypto';
import tls from 'node:tls';
import { before, beforeEach, describe, it } from 'node:test';
import { assertError } from '../support/assertions.js';
import { ADMIN_PASSWORD, startAdminNode, startTestNode, suiteScope, type TestNode } from '../support/harness.js';
import {
  externalUpload,
  makeChain,
  makeRoot,
  makeServerCertificate,
  VALID_FROM,
  VALID_TO,
  type TestChain,
} from '../support/pki.js';
import { checkRouteSecurity, type RouteCase } from '../support/security.js';
import { generateCertificate } from '../../src/tls/x509-generator.js';
import { createCertificatesRepository } from '../../src/db/repositories/certificates.js';

const EXTERNAL = '/v1/certificates/external';
const EXTERNAL_CA = '/v1/certificates/external/ca';
const WEBHOOKS_CA = '/v1/certificates/webhooks/ca';
const META = { api_status: 'stable', version: 'v2.53.0' };

const fingerprint = (pem: string) => new X509Certificate(pem).fingerprint256;
/** The certificates of a PEM bundle, by fingerprint, in order. */
const fingerprints = (pem: string) =>
  (pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? []).map(fingerprint);

describe('certificates API', () => {
  let t: TestNode;
  let admin: string;
  let chain: TestChain;
  const suite = suiteScope();
  before(async () => {
    ({ t, admin } = await startAdminNode(suite));
    chain = await makeChain();
  });

  const post = (url: string, payload: string, contentType = 'text/plain') =>
    t.request({ method: 'POST', url, token: admin, payload, headers: { 'content-type': contentType } });
  const raw = async (name: 'external' | 'webhooks_ca') =>
    (await t.node.db.db.selectFrom('certificates').select('pem').where('name', '=', name).executeTakeFirst())?.pem;
  /** The stored document opened with the node key (the external one is sealed: it holds the private key). */
  const stored = async (name: 'external' | 'webhooks_ca') =>
    (await createCertificatesRepository(t.node.db.db, t.node.sealer).read(name))?.pem;

  describe('POST /v1/certificates/external', () => {
    beforeEach(() => t.node.db.db.deleteFrom('certificates').execute());

    it('takes the key, the certificate and its intermediate, answers {meta} and stores them durably', async () => {
      const response = await post(EXTERNAL, externalUpload(chain));
      assert.equal(response.status, 200, response.text);
      assert.deepEqual(response.body, { meta: META });
      const pem = await stored('external');
      assert.ok(pem?.startsWith('-----BEGIN PRIVATE KEY-----'), 'the key is stored first, as PKCS#8');
      assert.match((await raw('external'))!, /^enc:v1:/, 'sealed with the node key in the database');
      assert.deepEqual(fingerprints(pem!), [
        chain.leaf.certificate.fingerprint256,
        chain.intermediate.certificate.fingerprint256,
      ]);
      await t.restart();
      admin = await t.login('admin', ADMIN_PASSWORD);
      assert.equal(await stored('external'), pem, 'still there after a restart');
    });

    it('GET …/external/ca answers the intermediate as text/plain; a second upload overwrites the first', async () => {
      assert.equal((await post(EXTERNAL, externalUpload(chain))).status, 200);
      let ca = await t.request({ url: EXTERNAL_CA, token: admin });
      assert.equal(ca.status, 200);
      assert.match(String(ca.headers['content-type']), /^text\/plain/);
      assert.deepEqual(fingerprints(ca.text), [chain.intermediate.certificate.fingerprint256]);
      const other = await makeChain({ name: 'Other' });
      assert.equal((await post(EXTERNAL, externalUpload(other))).status, 200);
      ca = await t.request({ url: EXTERNAL_CA, token: admin });
      assert.deepEqual(fingerprints(ca.text), [other.intermediate.certificate.fingerprint256]);
    });

    it('accepts text around the blocks, a charset, a root after the intermediate, and the key after the certificates', async () => {
      const withRoot = `Bag Attributes\n  friendlyName: server\n${externalUpload(chain)}${chain.root.certPem}# end\n`;
      assert.equal((await post(EXTERNAL, withRoot, 'text/plain; charset=utf-8')).status, 200);
      assert.deepEqual(fingerprints((await stored('external'))!).length, 3);
      const keyLast = chain.leaf.certPem + chain.intermediate.certPem + chain.leaf.keyPem;
      assert.equal((await post(EXTERNAL, keyLast)).status, 200);
    });

    it('refuses a missing body, garbage and a wrong Content-Type', async () => {
      assertError(
        await t.request({ method: 'POST', url: EXTERNAL, token: admin }),
        400,
        1008,
        /the private key, then the certificate/,
      );
      assertError(await post(EXTERNAL, '  \n'), 400, 1008);
      assertError(await post(EXTERNAL, 'not a certificate at all'), 400, 1009, /not PEM/);
      assertError(
        await post(EXTERNAL, '-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n'),
        400,
        1009,
        /not PEM/,
      );
      assertError(
        await post(
          EXTERNAL,
          `${chain.leaf.keyPem}-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n${chain.intermediate.certPem}`,
        ),
        400,
        1009,
        /certificate 1 .*cannot be read/,
      );
      assertError(
        await post(EXTERNAL, externalUpload(chain), 'application/json'),
        400,
        1025,
        /Content-Type: text\/plain/,
      );
      assertError(await post(EXTERNAL, externalUpload(chain), 'application/x-www-form-urlencoded'), 400, 1025);
      assert.equal(await stored('external'), undefined, 'nothing stored');
    });

    it('refuses an upload missing the key, the certificate or the intermediate (1008)', async () => {
      assertError(
        await post(EXTERNAL, chain.leaf.certPem + chain.intermediate.certPem),
        400,
        1008,
        /private key is missing/,
      );
      assertError(await post(EXTERNAL, chain.leaf.keyPem), 400, 1008, /certificate is missing/);
      assertError(await post(EXTERNAL, chain.leaf.keyPem + chain.leaf.certPem), 400, 1008, /at least one intermediate/);
    });

    it('refuses a key that does not belong to the certificate, and keeps the previous upload', async () => {
      assert.equal((await post(EXTERNAL, externalUpload(chain))).status, 200);
      const before = await stored('external');
      const other = await makeChain({ name: 'Mismatch' });
      const mismatched = other.leaf.keyPem + chain.leaf.certPem + chain.intermediate.certPem;
      assertError(await post(EXTERNAL, mismatched), 400, 1009, /private key does not belong to the certificate/);
      assert.equal(await stored('external'), before);
    });

    it('refuses expired and not-yet-valid certificates, by the server clock', async () => {
      const now = t.clock.now();
      const expired = await makeChain({ name: 'Expired', leaf: { notAfter: new Date(now - 86_400_000) } });
      assertError(
        await post(EXTERNAL, externalUpload(expired)),
        400,
        1009,
        /certificate 1 \(expired\.localhost\) expired on /,
      );
      const early = await makeChain({ name: 'Early', leaf: { notBefore: new Date(now + 86_400_000) } });
      assertError(await post(EXTERNAL, externalUpload(early)), 400, 1009, /certificate 1 .* is not valid before /);
      const staleCa = await makeChain({ name: 'Stale', intermediate: { notAfter: new Date(now - 1) } });
      assertError(
        await post(EXTERNAL, externalUpload(staleCa)),
        400,
        1009,
        /certificate 2 \(Stale Intermediate CA\) expired/,
      );
    });

    it('refuses a chain that does not link up: wrong issuer, wrong order, an issuer that is not a CA', async () => {
      const other = await makeChain({ name: 'Unrelated' });
      assertError(
        await post(EXTERNAL, chain.leaf.keyPem + chain.leaf.certPem + other.intermediate.certPem),
        400,
        1009,
        /certificate 2 \(Unrelated Intermediate CA\) did not issue certificate 1/,
      );
      const reversed = chain.leaf.keyPem + chain.leaf.certPem + chain.root.certPem + chain.intermediate.certPem;
      assertError(await post(EXTERNAL, reversed), 400, 1009, /did not issue certificate 1/);
      const notCa = await makeServerCertificate(chain.intermediate, {}, 'not-a-ca');
      const underLeaf = await generateCertificate({
        commonName: 'under',
        notBefore: VALID_FROM,
        notAfter: VALID_TO,
        issuer: notCa,
      });
      assertError(
        await post(EXTERNAL, underLeaf.keyPem + underLeaf.certPem + notCa.certPem),
        400,
        1009,
        /certificate 2 \(not-a-ca\) is not a CA certificate/,
      );
    });

    it('refuses an encrypted key, two keys and blocks that do not belong in the file', async () => {
      const encrypted = createPrivateKey(chain.leaf.keyPem).export({
        type: 'pkcs8',
        format: 'pem',
        cipher: 'aes-256-cbc',
        passphrase: 'secret',
      }) as string;
      assertError(
        await post(EXTERNAL, encrypted + chain.leaf.certPem + chain.intermediate.certPem),
        400,
        1009,
        /encrypted/,
      );
      assertError(await post(EXTERNAL, chain.leaf.keyPem + externalUpload(chain)), 400, 1009, /one private key, got 2/);
      const publicKey = createPublicKey(chain.leaf.keyPem).export({ type: 'spki', format: 'pem' }) as string;
      assertError(
        await post(EXTERNAL, publicKey + externalUpload(chain)),
        400,
        1009,
        /unexpected PEM block "PUBLIC KEY"/,
      );
    });
  });

  describe('GET /v1/certificates/external/ca', () => {
    it('answers 404 / 1006 on a plain-HTTP node with nothing uploaded', async () => {
      await t.node.db.db.deleteFrom('certificates').execute();
      assertError(await t.request({ url: EXTERNAL_CA, token: admin }), 404, 1006, /no certificate was uploaded/);
    });
  });

  describe('/v1/certificates/webhooks/ca', () => {
    beforeEach(() => t.node.db.db.deleteFrom('certificates').execute());

    it('POST stores the bundle, GET answers it as text/plain, DELETE removes it (and is idempotent)', async () => {
      assertError(await t.request({ url: WEBHOOKS_CA, token: admin }), 404, 1006);
      const second = await makeRoot('Second Root');
      const bundle = chain.root.certPem + second.certPem;
      const response = await post(WEBHOOKS_CA, bundle);
      assert.equal(response.status, 200, response.text);
      assert.deepEqual(response.body, { meta: META });
      const got = await t.request({ url: WEBHOOKS_CA, token: admin });
      assert.equal(got.status, 200);
      assert.match(String(got.headers['content-type']), /^text\/plain/);
      assert.deepEqual(fingerprints(got.text), [
        chain.root.certificate.fingerprint256,
        second.certificate.fingerprint256,
      ]);
      assert.equal(t.node.certificates.currentWebhooksCa(), got.text, 'in force on this node at once');
      await t.restart();
      admin = await t.login('admin', ADMIN_PASSWORD);
      assert.equal(t.node.certificates.currentWebhooksCa(), got.text, 'in force again after a restart');
      for (let i = 0; i < 2; i++) {
        const deleted = await t.request({ method: 'DELETE', url: WEBHOOKS_CA, token: admin });
        assert.equal(deleted.status, 200);
        assert.deepEqual(deleted.body, { meta: META });
      }
      assertError(await t.request({ url: WEBHOOKS_CA, token: admin }), 404, 1006);
      assert.equal(t.node.certificates.currentWebhooksCa(), null);
    });

    it('refuses bad bundles and keeps the previous one', async () => {
      assert.equal((await post(WEBHOOKS_CA, chain.root.certPem)).status, 200);
      assertError(await t.request({ method: 'POST', url: WEBHOOKS_CA, token: admin }), 400, 1008);
      assertError(await post(WEBHOOKS_CA, 'garbage'), 400, 1009, /not PEM/);
      assertError(
        await post(WEBHOOKS_CA, '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n'),
        400,
        1009,
        /cannot be read/,
      );
      assertError(await post(WEBHOOKS_CA, chain.leaf.keyPem + chain.root.certPem), 400, 1009, /certificates only/);
      const expired = await generateCertificate({
        commonName: 'Old CA',
        notBefore: VALID_FROM,
        notAfter: new Date(t.clock.now() - 1000),
        ca: {},
      });
      assertError(
        await post(WEBHOOKS_CA, chain.root.certPem + expired.certPem),
        400,
        1009,
        /certificate 2 \(Old CA\) expired/,
      );
      assertError(await post(WEBHOOKS_CA, chain.root.certPem, 'application/json'), 400, 1025);
      assert.deepEqual(
        fingerprints((await raw('webhooks_ca'))!),
        [chain.root.certificate.fingerprint256],
        'the public CA bundle stays readable',
      );
    });
  });

  describe('access control', () => {
    const routes: RouteCase[] = [
      { method: 'POST', pattern: EXTERNAL, url: EXTERNAL, access: 'admin', expect: 400 },
      { method: 'GET', pattern: EXTERNAL_CA, url: EXTERNAL_CA, access: 'admin', expect: 404 },
      { method: 'GET', pattern: WEBHOOKS_CA, url: WEBHOOKS_CA, access: 'admin', expect: 404 },
      { method: 'POST', pattern: WEBHOOKS_CA, url: WEBHOOKS_CA, access: 'admin', expect: 400 },
      { method: 'DELETE', pattern: WEBHOOKS_CA, url: WEBHOOKS_CA, access: 'admin', expect: 200 },
    ];
    before(() => t.node.db.db.deleteFrom('certificates').execute());
    for (const route of routes) {
      it(`${route.method} ${route.url} is admin only`, async () => {
        await checkRouteSecurity(t, route, {
          admin: () => t.login('admin', ADMIN_PASSWORD),
          user: () => t.login('certuser', 'Cert-User-Pass1!'),
        });
      });
    }
    before(async () => {
      await t.userToken('certuser', 'Cert-User-Pass1!');
    });

    it('authentication comes before the body checks: no token with a bad body is still 401', async () => {
      const response = await t.request({
        method: 'POST',
        url: EXTERNAL,
        payload: '{}',
        headers: { 'content-type': 'application/json' },
      });
      assertError(response, 401, 1005);
      const user = await t.login('certuser', 'Cert-User-Pass1!');
      assertError(
        await t.request({
          method: 'POST',
          url: WEBHOOKS_CA,
          token: user,
          payload: chain.root.certPem,
          headers: { 'content-type': 'text/plain' },
        }),
        403,
        1005,
      );
      assert.equal(await stored('webhooks_ca'), undefined);
    });
  });
});

describe('an uploaded certificate on another node sharing the database', () => {
  it('is served over HTTPS by a WA_TLS=self-signed node, with its intermediate', async (context) => {
    const a = await startTestNode(context);
    const chain = await makeChain({ name: 'Shared' });
    const upload = await a.request({
      method: 'POST',
      url: EXTERNAL,
      token: await a.adminToken(),
      payload: externalUpload(chain),
      headers: { 'content-type': 'text/plain' },
    });
    assert.equal(upload.status, 200, upload.text);
    assert.equal(a.node.tlsSource, null, 'the uploading node serves plain HTTP');

    const b = await startTestNode(context, { shareDatabaseOf: a, env: { WA_TLS: 'self-signed' } });
    assert.equal(b.node.tlsSource, 'uploaded');
    const address = await b.node.app.server.listen({ host: '127.0.0.1', port: 0 });
    assert.match(address, /^https:\/\//);
    const port = Number(new URL(address).port);
    const presented = await new Promise<tls.PeerCertificate & { issuerCertificate?: tls.PeerCertificate }>(
      (resolve, reject) => {
        const socket = tls.connect({ host: '127.0.0.1', port, ca: chain.root.certPem, servername: 'localhost' }, () => {
          resolve(socket.getPeerCertificate(true));
          socket.end();
        });
        socket.on('error', reject);
      },
    );
    assert.equal(presented.fingerprint256, chain.leaf.certificate.fingerprint256);
    assert.equal(
      presented.issuerCertificate?.fingerprint256,
      chain.intermediate.certificate.fingerprint256,
      'the intermediate is sent too',
    );
    const ca = await b.request({ url: EXTERNAL_CA, token: await b.adminToken() });
    assert.deepEqual(fingerprints(ca.text), [chain.intermediate.certificate.fingerprint256]);
  });
});
