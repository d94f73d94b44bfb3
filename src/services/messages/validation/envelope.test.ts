// The fields around every message (docs/api/messages.md#common-fields): to, type, recipient_type, context, preview_url,
// ttl, biz_opaque_callback_data; and what the validator hands back.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { validateOutboundMessage } from '../outbound.js';
import { itAccepts, itRejects, message, TO } from './test-table.js';

const text = { body: 'hello' };
const template = { namespace: 'waba_namespace', name: 'hello_world', language: { code: 'en' } };

describe('outbound message envelope: accepted', () => {
  itAccepts([
    {
      name: 'a text message without type (text is the default)',
      body: { to: TO, text },
      expect: (m) => {
        assert.equal(m.type, 'text');
        assert.deepEqual(m.content, text);
        assert.equal(m.previewUrl, false);
        assert.equal(m.contextMessageId, null);
        assert.equal(m.ttlSeconds, null);
        assert.deepEqual(m.mediaIds, []);
        assert.equal(m.template, null);
        assert.equal(m.bizOpaqueCallbackData, null);
      },
    },
    {
      name: 'to exactly as given (a phone number with spaces)',
      body: { to: '+1 631 555 1234', text },
      expect: (m) => assert.equal(m.to, '+1 631 555 1234'),
    },
    { name: 'to of 64 characters', body: { to: '1'.repeat(64), text } },
    { name: 'recipient_type individual', body: message('text', text, { recipient_type: 'individual' }) },
    {
      name: 'preview_url true with text',
      body: message('text', { body: 'see https://example.com' }, { preview_url: true }),
      expect: (m) => assert.equal(m.previewUrl, true),
    },
    { name: 'preview_url true without a URL in the text', body: message('text', text, { preview_url: true }) },
    {
      name: 'preview_url false',
      body: message('text', text, { preview_url: false }),
      expect: (m) => assert.equal(m.previewUrl, false),
    },
    {
      name: 'a reply (context.message_id)',
      body: message('text', text, { context: { message_id: 'wamid.abc' } }),
      expect: (m) => assert.equal(m.contextMessageId, 'wamid.abc'),
    },
    {
      name: 'biz_opaque_callback_data',
      body: message('text', text, { biz_opaque_callback_data: 'order-42' }),
      expect: (m) => assert.equal(m.bizOpaqueCallbackData, 'order-42'),
    },
    {
      name: 'biz_opaque_callback_data of 512 characters',
      body: message('text', text, { biz_opaque_callback_data: 'x'.repeat(512) }),
    },
    {
      name: 'ttl "P4D"',
      body: message('template', template, { ttl: 'P4D' }),
      expect: (m) => assert.equal(m.ttlSeconds, 4 * 86_400),
    },
    {
      name: 'ttl "PT1H"',
      body: message('template', template, { ttl: 'PT1H' }),
      expect: (m) => assert.equal(m.ttlSeconds, 3_600),
    },
    {
      name: 'ttl "P1DT12H30M"',
      body: message('template', template, { ttl: 'P1DT12H30M' }),
      expect: (m) => assert.equal(m.ttlSeconds, 86_400 + 12 * 3_600 + 30 * 60),
    },
    {
      name: 'ttl "P1W"',
      body: message('template', template, { ttl: 'P1W' }),
      expect: (m) => assert.equal(m.ttlSeconds, 7 * 86_400),
    },
    {
      name: 'ttl "P30D" (the maximum)',
      body: message('template', template, { ttl: 'P30D' }),
      expect: (m) => assert.equal(m.ttlSeconds, 30 * 86_400),
    },
    {
      name: 'ttl "3600" (seconds as a string)',
      body: message('template', template, { ttl: '3600' }),
      expect: (m) => assert.equal(m.ttlSeconds, 3_600),
    },
    {
      name: 'ttl 3600 (seconds as an integer)',
      body: message('template', template, { ttl: 3600 }),
      expect: (m) => assert.equal(m.ttlSeconds, 3_600),
    },
    {
      name: 'ttl on an hsm',
      body: message('hsm', { namespace: 'ns', element_name: 'hello', language: { code: 'en' } }, { ttl: 'P1D' }),
    },
  ]);
});

describe('outbound message envelope: refused', () => {
  itRejects([
    { name: 'no body', body: undefined, code: 1008, details: /needs a JSON body/ },
    { name: 'a body that is null', body: null, code: 1009, details: /body must be of type object/ },
    {
      name: 'a body that is an array',
      body: [message('text', text)],
      code: 1009,
      details: /body must be of type object/,
    },
    { name: 'a body that is a string', body: 'hello', code: 1009, details: /body must be of type object/ },
    {
      name: 'recipient_type group (legacy Groups API)',
      body: message('text', text, { recipient_type: 'group' }),
      code: 1002,
      details: /"group" is not supported.*Groups API/,
    },
    {
      name: 'recipient_type other',
      body: message('text', text, { recipient_type: 'broadcast' }),
      code: 1002,
      details: /recipient_type must be "individual"/,
    },
    {
      name: 'recipient_type null',
      body: message('text', text, { recipient_type: null }),
      code: 1002,
      details: /recipient_type must be "individual"/,
    },
    {
      name: 'an unknown type',
      body: message('carousel', {}),
      code: 1009,
      details: /^type must be one of "text", "image",.*"reaction"$/,
    },
    { name: 'type "__proto__"', body: { to: TO, type: '__proto__' }, code: 1009, details: /^type must be one of/ },
    { name: 'type null', body: { to: TO, type: null, text }, code: 1009, details: /^type must be one of/ },
    { name: 'no to', body: { type: 'text', text }, code: 1008, details: /^missing required parameter to$/ },
    { name: 'to empty', body: { to: '', text }, code: 1009, details: /^to must not be empty or blank$/ },
    { name: 'to blank', body: { to: '   ', text }, code: 1009, details: /^to must not be empty or blank$/ },
    {
      name: 'to longer than 64',
      body: { to: '1'.repeat(65), text },
      code: 1009,
      details: /^to must be at most 64 characters long$/,
    },
    { name: 'to as a number', body: { to: 16315551234, text }, code: 1009, details: /^to must be of type string$/ },
    {
      name: 'no payload named after the type',
      body: { to: TO, type: 'image' },
      code: 1008,
      details: /^missing required parameter image: an image message carries its content there$/,
    },
    {
      name: 'no text and no type',
      body: { to: TO },
      code: 1008,
      details: /^missing required parameter text: .*type is text when omitted/,
    },
    {
      name: 'the payload of another type',
      body: { to: TO, type: 'image', image: { id: 'm1' }, text },
      code: 1010,
      details: /^text is not accepted in an image message$/,
    },
    {
      name: 'a payload only, of another type than the default',
      body: { to: TO, image: { id: 'm1' } },
      code: 1008,
      details: /^missing required parameter text/,
    },
    {
      name: 'an unknown top-level field',
      body: message('text', text, { priority: 'high' }),
      code: 1010,
      details: /^priority is not an accepted parameter$/,
    },
    {
      name: 'render_mentions (legacy groups)',
      body: message('text', text, { render_mentions: true }),
      code: 1010,
      details: /^render_mentions is not accepted: .*Groups API/,
    },
    {
      name: 'preview_url neither a boolean nor "true"/"false"',
      body: message('text', text, { preview_url: 'on' }),
      code: 1009,
      details: /^preview_url must be of type boolean$/,
    },
    {
      name: 'preview_url with an image',
      body: message('image', { id: 'm1' }, { preview_url: true }),
      code: 1010,
      details: /^preview_url is not accepted: only a text message/,
    },
    {
      name: 'context without message_id',
      body: message('text', text, { context: {} }),
      code: 1008,
      details: /^missing required parameter context\.message_id$/,
    },
    {
      name: 'context.message_id empty',
      body: message('text', text, { context: { message_id: '' } }),
      code: 1009,
      details: /^context\.message_id must not be empty/,
    },
    {
      name: 'context with another field',
      body: message('text', text, { context: { message_id: 'a', from: 'b' } }),
      code: 1010,
      details: /^context\.from is not an accepted parameter$/,
    },
    {
      name: 'context as a string',
      body: message('text', text, { context: 'wamid.abc' }),
      code: 1009,
      details: /^context must be of type object$/,
    },
    {
      name: 'context on a reaction',
      body: message('reaction', { message_id: 'wamid.a', emoji: '👍' }, { context: { message_id: 'wamid.b' } }),
      code: 1010,
      details: /^context is not accepted in a reaction/,
    },
    {
      name: 'ttl on a text message',
      body: message('text', text, { ttl: 'P1D' }),
      code: 1010,
      details: /^ttl is not accepted: only template and hsm/,
    },
    {
      name: 'ttl "P"',
      body: message('template', template, { ttl: 'P' }),
      code: 1009,
      details: /^ttl must be a number of seconds from 1 to 2592000.*ISO-8601/,
    },
    { name: 'ttl "PT"', body: message('template', template, { ttl: 'PT' }), code: 1009, details: /^ttl must/ },
    { name: 'ttl "P1DT"', body: message('template', template, { ttl: 'P1DT' }), code: 1009, details: /^ttl must/ },
    { name: 'ttl "1h"', body: message('template', template, { ttl: '1h' }), code: 1009, details: /^ttl must/ },
    {
      name: 'ttl lower-case "p4d"',
      body: message('template', template, { ttl: 'p4d' }),
      code: 1009,
      details: /^ttl must/,
    },
    {
      name: 'ttl "P0.5D" (fractions)',
      body: message('template', template, { ttl: 'P0.5D' }),
      code: 1009,
      details: /^ttl must/,
    },
    { name: 'ttl 0', body: message('template', template, { ttl: 0 }), code: 1009, details: /^ttl must/ },
    { name: 'ttl "0"', body: message('template', template, { ttl: '0' }), code: 1009, details: /^ttl must/ },
    { name: 'ttl negative', body: message('template', template, { ttl: -60 }), code: 1009, details: /^ttl must/ },
    { name: 'ttl not whole', body: message('template', template, { ttl: 3600.5 }), code: 1009, details: /^ttl must/ },
    {
      name: 'ttl over 30 days',
      body: message('template', template, { ttl: 'P31D' }),
      code: 1009,
      details: /^ttl must/,
    },
    { name: 'ttl of a year', body: message('template', template, { ttl: 'P1Y' }), code: 1009, details: /^ttl must/ },
    {
      name: 'ttl a boolean',
      body: message('template', template, { ttl: true }),
      code: 1009,
      details: /^ttl must be a number of seconds/,
    },
    {
      name: 'biz_opaque_callback_data over 512',
      body: message('text', text, { biz_opaque_callback_data: 'x'.repeat(513) }),
      code: 1009,
      details: /^biz_opaque_callback_data must be at most 512 characters long$/,
    },
    {
      name: 'biz_opaque_callback_data not a string',
      body: message('text', text, { biz_opaque_callback_data: { id: 1 } }),
      code: 1009,
      details: /^biz_opaque_callback_data must be of type string$/,
    },
  ]);
});

describe('outbound message envelope: the result', () => {
  it('hands back the payload as given, without copying or changing the body', () => {
    const body = message('image', { id: 'm1', caption: 'c' }, { context: { message_id: 'wamid.x' } });
    const before = JSON.stringify(body);
    const result = validateOutboundMessage(body);
    assert.equal(result.content, body.image);
    assert.equal(JSON.stringify(body), before);
  });

  it('refuses a body whose own "__proto__" key is not an accepted field', () => {
    const body = JSON.parse(`{"to":"${TO}","text":{"body":"x"},"__proto__":{"type":"image"}}`) as unknown;
    assert.throws(() => validateOutboundMessage(body), {
      code: 1010,
      details: '__proto__ is not an accepted parameter',
    });
  });
});
