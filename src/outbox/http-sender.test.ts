import assert from 'node:assert/strict';
import tls from 'node:tls';
import { describe, it } from 'node:test';
import { trustedCertificates } from './http-sender.js';

describe('trustedCertificates', () => {
  it('keeps every default root and adds the uploaded bundle: an internal CA is trusted besides, not instead', () => {
    const bundle = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
    const list = trustedCertificates(bundle);
    assert.equal(list.at(-1), bundle);
    const defaults = new Set(list.slice(0, -1));
    for (const root of tls.rootCertificates) assert.ok(defaults.has(root), 'a default root is missing');
    assert.ok(defaults.size >= tls.rootCertificates.length);
  });
});
