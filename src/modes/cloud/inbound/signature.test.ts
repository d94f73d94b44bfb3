import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isCloudSignatureValid, signCloudWebhook } from './signature.js';

const SECRET = 'abcdef0123456789abcdef';
const BODY = Buffer.from('{"object":"whatsapp_business_account","entry":[]}');

describe('cloud webhook signature', () => {
  it("accepts Meta's signature of the exact bytes, in either hex case", () => {
    const header = signCloudWebhook(BODY, SECRET);
    assert.equal(isCloudSignatureValid(BODY, header, SECRET), true);
    assert.equal(isCloudSignatureValid(BODY, `sha256=${header.slice(7).toUpperCase()}`, SECRET), true);
  });

  it('refuses other bytes, another secret, a missing, truncated or malformed header', () => {
    const header = signCloudWebhook(BODY, SECRET);
    const reserialised = Buffer.from(JSON.stringify(JSON.parse(BODY.toString()), null, 1));
    assert.equal(isCloudSignatureValid(reserialised, header, SECRET), false);
    assert.equal(isCloudSignatureValid(BODY, signCloudWebhook(BODY, 'another0secret0value'), SECRET), false);
    assert.equal(isCloudSignatureValid(BODY, undefined, SECRET), false);
    assert.equal(isCloudSignatureValid(BODY, [header, header], SECRET), false);
    assert.equal(isCloudSignatureValid(BODY, header.slice(0, -2), SECRET), false);
    assert.equal(isCloudSignatureValid(BODY, header.replace('sha256=', 'sha1='), SECRET), false);
    assert.equal(isCloudSignatureValid(BODY, `${header}00`, SECRET), false);
  });
});
