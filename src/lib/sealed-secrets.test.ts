import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { openSettingsText, sealSettingsText, storedSecretValues } from '../db/repositories/settings.js';
import { createSecretsSealer, isSealed, SealedSecretError, sealedKeyId, secretsKeyId } from './sealed-secrets.js';

const sealer = createSecretsSealer(randomBytes(32));
const other = createSecretsSealer(randomBytes(32));

describe('sealed secrets', () => {
  it('round-trips any text, with a fresh nonce each time, under an envelope naming the key', () => {
    for (const plain of ['webhook-secret-0123456789', '', 'ünïcødé ✓ \n -----BEGIN PRIVATE KEY-----']) {
      const sealed = sealer.seal(plain);
      assert.ok(isSealed(sealed));
      assert.equal(sealedKeyId(sealed), sealer.keyId);
      assert.ok(!sealed.includes('PRIVATE KEY'));
      assert.equal(sealer.open(sealed), plain);
    }
    assert.notEqual(sealer.seal('same'), sealer.seal('same'));
    assert.match(sealer.keyId, /^[0-9a-f]{16}$/);
    assert.equal(secretsKeyId(Buffer.alloc(32, 1)), secretsKeyId(Buffer.alloc(32, 1)));
  });

  it('says which key a value was sealed with when this node holds another', () => {
    const sealed = other.seal('secret');
    assert.throws(
      () => sealer.open(sealed),
      (error: unknown) =>
        error instanceof SealedSecretError &&
        error.reason === 'other-key' &&
        error.keyId === other.keyId &&
        error.message.includes('WA_SECRETS_KEY'),
    );
  });

  it('refuses a tampered ciphertext, tag or key id', () => {
    const sealed = sealer.seal('a secret worth keeping');
    const parts = sealed.split(':');
    const flip = (text: string) => (text[0] === 'A' ? 'B' : 'A') + text.slice(1);
    for (const index of [3, 4, 5]) {
      const tampered = parts.map((part, i) => (i === index ? flip(part) : part)).join(':');
      assert.throws(
        () => sealer.open(tampered),
        (error: unknown) => error instanceof SealedSecretError && error.reason === 'damaged',
      );
    }
    // The same envelope relabelled with another key id does not open under that key either (the id is authenticated).
    const relabelled = ['enc', 'v1', other.keyId, ...parts.slice(3)].join(':');
    assert.throws(
      () => other.open(relabelled),
      (error: unknown) => error instanceof SealedSecretError && error.reason === 'damaged',
    );
  });

  it('tells legacy clear text apart from envelopes, and refuses keys of the wrong length', () => {
    for (const clear of ['my-webhook-secret', 'enc:v1:not-an-envelope', '-----BEGIN PRIVATE KEY-----\nMII…']) {
      assert.equal(isSealed(clear), false);
      assert.equal(sealedKeyId(clear), null);
    }
    assert.throws(() => createSecretsSealer(randomBytes(16)), /32 bytes/);
  });
});

describe('settings documents', () => {
  const application = JSON.stringify({
    webhooks: { url: 'https://example.com/hook', secret: 'webhook-secret-0123456789' },
  });
  const providers = JSON.stringify([
    { name: 'b', type: 'www', config: { bearer: 'bearer-token-xyz' } },
    { name: 'p', type: 'www', config: { basic: { username: 'user', password: 'basic-password-xyz' } } },
  ]);

  it('seals only the secret fields, and opens them back to the same text', () => {
    const sealedApplication = sealSettingsText('application', application, sealer);
    const sealedProviders = sealSettingsText('media_providers', providers, sealer);
    assert.ok(!sealedApplication.includes('webhook-secret') && sealedApplication.includes('https://example.com/hook'));
    assert.ok(
      !sealedProviders.includes('bearer-token') &&
        !sealedProviders.includes('basic-password') &&
        sealedProviders.includes('"user"'),
    );
    assert.equal(openSettingsText('application', sealedApplication, sealer), application);
    assert.equal(openSettingsText('media_providers', sealedProviders, sealer), providers);
    assert.equal(
      sealSettingsText('application', sealedApplication, sealer),
      sealedApplication,
      'sealing twice changes nothing',
    );
    assert.deepEqual(storedSecretValues('media_providers', providers), ['bearer-token-xyz', 'basic-password-xyz']);
    assert.ok(storedSecretValues('media_providers', sealedProviders).every(isSealed));
  });

  it('leaves documents without secrets, and text that is not JSON, as they are', () => {
    const noSecret = JSON.stringify({ webhooks: { url: null, secret: null } });
    assert.equal(sealSettingsText('application', noSecret, sealer), noSecret);
    assert.equal(sealSettingsText('application', '{not json', sealer), '{not json');
    assert.equal(openSettingsText('application', application, sealer), application, 'legacy clear text reads as it is');
  });
});
