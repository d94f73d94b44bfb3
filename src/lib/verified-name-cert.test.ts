import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildVerifiedNameCert, MAX_CERT_CHARS, readVerifiedNameCert } from './verified-name-cert.js';

/** Protobuf length-delimited field (lengths below 128 only, enough for these fixtures). */
const field = (number: number, bytes: Buffer) => Buffer.concat([Buffer.from([(number << 3) | 2, bytes.length]), bytes]);

describe('verified name certificates', () => {
  it('reads the name, issuer and serial of a wrapped certificate', () => {
    const cert = buildVerifiedNameCert('Acme Café', 42n, 1_700_000_000);
    assert.deepEqual(readVerifiedNameCert(cert), { vname: 'Acme Café', issuer: 'ent:wa', serial: 42n });
  });

  it('reads a bare certificate (details directly in field 1) and base64url text', () => {
    const details = Buffer.concat([field(2, Buffer.from('ent:wa')), field(4, Buffer.from('Bare Name'))]);
    const bare = Buffer.concat([field(1, details), field(2, Buffer.alloc(64))]);
    assert.equal((readVerifiedNameCert(bare.toString('base64')) as { vname: string }).vname, 'Bare Name');
    const url = buildVerifiedNameCert('Url Safe Co').replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
    assert.equal((readVerifiedNameCert(url) as { vname: string }).vname, 'Url Safe Co');
  });

  it('refuses text that is not base64, not protobuf, or names nobody', () => {
    assert.equal(readVerifiedNameCert(''), `must be a base64 certificate of 1 to ${MAX_CERT_CHARS} characters`);
    assert.equal(
      readVerifiedNameCert('A'.repeat(MAX_CERT_CHARS + 1)),
      `must be a base64 certificate of 1 to ${MAX_CERT_CHARS} characters`,
    );
    assert.equal(readVerifiedNameCert('not base64!'), 'is not base64');
    assert.match(
      readVerifiedNameCert(Buffer.from('hello world').toString('base64')) as string,
      /not a verified name certificate/,
    );
    const truncated = Buffer.from(buildVerifiedNameCert('Cut Short'), 'base64').subarray(0, 20).toString('base64');
    assert.match(readVerifiedNameCert(truncated) as string, /not a verified name certificate/);
    const noName = Buffer.concat([field(1, field(1, field(2, Buffer.from('ent:wa'))))]).toString('base64');
    assert.match(readVerifiedNameCert(noName) as string, /no verified name/);
    const controlName = Buffer.concat([field(1, field(1, field(4, Buffer.from('bad\u0000name'))))]).toString('base64');
    assert.match(readVerifiedNameCert(controlName) as string, /no verified name/);
  });
});
