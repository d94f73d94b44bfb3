// The fake Graph server's schema check is real: Meta's schema (as patched) refuses what Graph refuses, so a send
// body the gateway got wrong would fail the round-trip tests.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadGraphSchemas } from '../support/fake-graph-schema.js';

describe("Meta's Cloud API schema, as the fake Graph server applies it", () => {
  const schemas = loadGraphSchemas();
  const base = { messaging_product: 'whatsapp', recipient_type: 'individual', to: '16315551001' };

  it('accepts Cloud bodies, including the three the published spec gets wrong', () => {
    assert.equal(
      schemas.check('sendMessage', { ...base, type: 'text', text: { body: 'hi', preview_url: true } }),
      null,
    );
    assert.equal(
      schemas.check('sendMessage', { ...base, type: 'template', template: { name: 'n', language: { code: 'en' } } }),
      null,
    );
    assert.equal(
      schemas.check('sendMessage', { ...base, type: 'location', location: { latitude: 1.5, longitude: 2 } }),
      null,
    );
    assert.equal(
      schemas.check('markRead', { messaging_product: 'whatsapp', status: 'read', message_id: 'wamid.x' }),
      null,
    );
  });

  it('takes a template button\'s index 0 to 9, as a digit string or an integer (the published pattern refuses "0")', () => {
    const withIndex = (index: unknown) => ({
      ...base,
      type: 'template',
      template: {
        name: 'n',
        language: { code: 'en' },
        components: [
          { type: 'button', sub_type: 'quick_reply', index, parameters: [{ type: 'payload', payload: 'p' }] },
        ],
      },
    });
    for (const index of ['0', 0, '9', 9])
      assert.equal(schemas.check('sendMessage', withIndex(index)), null, JSON.stringify(index));
    for (const index of ['10', 10, -1, '', 'a', ',', 1.5])
      assert.match(schemas.check('sendMessage', withIndex(index)) ?? '', /index/, JSON.stringify(index));
  });

  it('refuses On-Prem-shaped bodies', () => {
    assert.match(
      schemas.check('sendMessage', { to: '16315551001', type: 'text', text: { body: 'hi' } }) ?? '',
      /messaging_product/,
    );
    assert.match(
      schemas.check('sendMessage', { ...base, type: 'text', preview_url: true, text: { body: 'hi' } }) ?? '',
      /unevaluated/,
    );
    assert.match(schemas.check('sendMessage', { ...base, type: 'hsm', hsm: {} }) ?? '', /not one of/);
    assert.notEqual(schemas.check('register', { messaging_product: 'whatsapp', pin: '12345' }), null);
    assert.notEqual(schemas.check('requestCode', { code_method: 'sms', language: 'en_US' }), null);
    assert.notEqual(schemas.check('markRead', { status: 'read', message_id: 'wamid.x' }), null);
  });
});
