import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { chmod, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ensureSelfSigned, selfSignedPaths } from './self-signed.js';

const DAY_MS = 86_400_000;
const quiet = { info() {}, warn() {} };

describe('ensureSelfSigned', () => {
  let dataDir: string;
  const now = Date.UTC(2026, 0, 5);
  const ensure = (at = now) =>
    ensureSelfSigned({
      dataDir,
      serverNames: ['openprem.internal', 'localhost', '127.0.0.1', '::1'],
      now: at,
      log: quiet,
    });
  before(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'openprem-self-signed-'));
  });
  after(() => rm(dataDir, { recursive: true, force: true }));

  it('makes a CA and a server certificate it signs, for the given names, with the key readable by the owner only', async () => {
    const made = await ensure();
    assert.equal(made.reused, false);
    const [leafPem, caPem] = made.chainPem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g)!;
    const leaf = new X509Certificate(leafPem!);
    const ca = new X509Certificate(made.caPem);
    assert.equal(ca.fingerprint256, new X509Certificate(caPem!).fingerprint256);
    assert.ok(ca.ca);
    assert.ok(!leaf.ca);
    assert.ok(leaf.verify(ca.publicKey));
    assert.equal(leaf.subject, 'CN=openprem.internal');
    assert.equal(
      leaf.subjectAltName,
      'DNS:openprem.internal, DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1',
    );
    assert.ok(leaf.checkHost('localhost') && leaf.checkIP('127.0.0.1'));
    assert.equal(Date.parse(leaf.validTo) - now, 825 * DAY_MS);
    const paths = selfSignedPaths(dataDir);
    assert.equal((await stat(paths.key)).mode & 0o777, 0o600);
    assert.equal((await stat(paths.dir)).mode & 0o777, 0o700);
  });

  it('reuses the kept certificate, and closes a key file left readable by others', async () => {
    const first = await ensure();
    await chmod(selfSignedPaths(dataDir).key, 0o644);
    const second = await ensure(now + 100 * DAY_MS);
    assert.equal(second.reused, true);
    assert.equal(second.chainPem, first.chainPem);
    assert.equal(second.keyPem, first.keyPem);
    assert.equal(second.caPem, first.caPem);
    assert.equal((await stat(selfSignedPaths(dataDir).key)).mode & 0o777, 0o600);
  });

  it('replaces a certificate 30 days before it expires, and one whose key is unreadable or foreign', async () => {
    const kept = await ensure();
    const renewed = await ensure(now + 796 * DAY_MS);
    assert.equal(renewed.reused, false);
    assert.notEqual(renewed.chainPem, kept.chainPem);
    await writeFile(selfSignedPaths(dataDir).key, 'not a key');
    assert.equal((await ensure(now + 796 * DAY_MS)).reused, false);
    const other = await mkdtemp(path.join(os.tmpdir(), 'openprem-self-signed-other-'));
    try {
      const foreign = await ensureSelfSigned({ dataDir: other, serverNames: ['localhost'], now, log: quiet });
      await writeFile(selfSignedPaths(dataDir).key, foreign.keyPem);
      assert.equal((await ensure(now + 796 * DAY_MS)).reused, false);
      assert.equal((await ensure(now + 796 * DAY_MS)).reused, true);
    } finally {
      await rm(other, { recursive: true, force: true });
    }
  });
});
