// Text (docs/api/messages.md#text), location (docs/api/messages.md#location) and reaction
// (docs/api/messages.md#reactions) messages.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isOneEmoji } from './simple.js';
import { itAccepts, itRejects, message, TO } from './test-table.js';

describe('text messages', () => {
  itAccepts([
    { name: 'the reference text body', body: { to: TO, type: 'text', text: { body: '...' } } },
    { name: 'a body of 4096 characters', body: message('text', { body: 'a'.repeat(4096) }) },
    {
      name: 'a body of 4096 emoji (code points, not UTF-16 units)',
      body: message('text', { body: '😀'.repeat(4096) }),
    },
    {
      name: 'a body with surrounding white space (kept as given)',
      body: message('text', { body: '  hi \n' }),
      expect: (m) => assert.deepEqual(m.content, { body: '  hi \n' }),
    },
  ]);
  itRejects([
    {
      name: 'a body over 4096 characters',
      body: message('text', { body: 'a'.repeat(4097) }),
      code: 1001,
      details: /^text\.body is longer than 4096 characters$/,
    },
    {
      name: 'a body of 4097 emoji',
      body: message('text', { body: '😀'.repeat(4097) }),
      code: 1001,
      details: /^text\.body is longer than 4096/,
    },
    {
      name: 'an empty body',
      body: message('text', { body: '' }),
      code: 1009,
      details: /^text\.body must not be empty or blank$/,
    },
    {
      name: 'a blank body',
      body: message('text', { body: ' \n\t ' }),
      code: 1009,
      details: /^text\.body must not be empty or blank$/,
    },
    { name: 'no body', body: message('text', {}), code: 1008, details: /^missing required parameter text\.body$/ },
    {
      name: 'a body that is a number',
      body: message('text', { body: 42 }),
      code: 1009,
      details: /^text\.body must be of type string$/,
    },
    { name: 'text as a string', body: message('text', 'hello'), code: 1009, details: /^text must be of type object$/ },
    {
      name: 'preview_url inside text (Cloud API style)',
      body: message('text', { body: 'x', preview_url: true }),
      code: 1010,
      details: /^text\.preview_url is not accepted: preview_url goes at the top level/,
    },
    {
      name: 'another field in text',
      body: message('text', { body: 'x', format: 'markdown' }),
      code: 1010,
      details: /^text\.format is not an accepted parameter$/,
    },
  ]);
});

describe('location messages', () => {
  itAccepts([
    {
      name: 'the reference location',
      body: { to: TO, type: 'location', location: { longitude: -122.4, latitude: 37.7, name: '...', address: '...' } },
    },
    { name: 'coordinates only', body: message('location', { latitude: 0, longitude: 0 }) },
    { name: 'the extreme coordinates', body: message('location', { latitude: -90, longitude: 180 }) },
    {
      name: 'name and address of 1000 characters',
      body: message('location', { latitude: 1, longitude: 1, name: 'n'.repeat(1000), address: 'a'.repeat(1000) }),
    },
  ]);
  itRejects([
    {
      name: 'no latitude',
      body: message('location', { longitude: 1 }),
      code: 1008,
      details: /^missing required parameter location\.latitude$/,
    },
    {
      name: 'no longitude',
      body: message('location', { latitude: 1 }),
      code: 1008,
      details: /^missing required parameter location\.longitude$/,
    },
    {
      name: 'a latitude over 90',
      body: message('location', { latitude: 90.5, longitude: 1 }),
      code: 1009,
      details: /^location\.latitude must be a number from -90 to 90$/,
    },
    {
      name: 'a longitude under -180',
      body: message('location', { latitude: 1, longitude: -181 }),
      code: 1009,
      details: /^location\.longitude must be a number from -180 to 180$/,
    },
    {
      name: 'a latitude as a string that is not a number',
      body: message('location', { latitude: '37,7', longitude: 1 }),
      code: 1009,
      details: /^location\.latitude must be of type number$/,
    },
    {
      name: 'a name over 1000 characters',
      body: message('location', { latitude: 1, longitude: 1, name: 'n'.repeat(1001) }),
      code: 1009,
      details: /^location\.name must be at most 1000 characters long$/,
    },
    {
      name: 'an address that is not a string',
      body: message('location', { latitude: 1, longitude: 1, address: 5 }),
      code: 1009,
      details: /^location\.address must be of type string$/,
    },
    {
      name: 'another field',
      body: message('location', { latitude: 1, longitude: 1, url: 'https://maps' }),
      code: 1010,
      details: /^location\.url is not an accepted parameter$/,
    },
  ]);
});

describe('reaction messages', () => {
  itAccepts([
    {
      name: 'the Cloud API reaction',
      body: { to: TO, type: 'reaction', reaction: { message_id: 'wamid...', emoji: '👍' } },
    },
    { name: 'an empty emoji (removes the reaction)', body: message('reaction', { message_id: 'wamid.a', emoji: '' }) },
    { name: 'an emoji with a skin tone', body: message('reaction', { message_id: 'wamid.a', emoji: '👍🏽' }) },
    { name: 'a ZWJ family emoji', body: message('reaction', { message_id: 'wamid.a', emoji: '👩‍👩‍👧‍👦' }) },
    { name: 'a flag', body: message('reaction', { message_id: 'wamid.a', emoji: '🇧🇷' }) },
    { name: 'a keycap', body: message('reaction', { message_id: 'wamid.a', emoji: '1️⃣' }) },
    { name: 'a heart with variation selector', body: message('reaction', { message_id: 'wamid.a', emoji: '❤️' }) },
  ]);
  itRejects([
    {
      name: 'a letter',
      body: message('reaction', { message_id: 'wamid.a', emoji: 'a' }),
      code: 1009,
      details: /^reaction\.emoji must be one emoji, or "" to remove the reaction$/,
    },
    {
      name: 'two emoji',
      body: message('reaction', { message_id: 'wamid.a', emoji: '👍👍' }),
      code: 1009,
      details: /^reaction\.emoji must be one emoji/,
    },
    {
      name: 'an emoji and a space',
      body: message('reaction', { message_id: 'wamid.a', emoji: '👍 ' }),
      code: 1009,
      details: /^reaction\.emoji must be one emoji/,
    },
    {
      name: 'an emoticon',
      body: message('reaction', { message_id: 'wamid.a', emoji: ':)' }),
      code: 1009,
      details: /^reaction\.emoji must be one emoji/,
    },
    {
      name: 'a bare digit',
      body: message('reaction', { message_id: 'wamid.a', emoji: '1' }),
      code: 1009,
      details: /^reaction\.emoji must be one emoji/,
    },
    {
      name: 'no emoji',
      body: message('reaction', { message_id: 'wamid.a' }),
      code: 1008,
      details: /^missing required parameter reaction\.emoji$/,
    },
    {
      name: 'no message_id',
      body: message('reaction', { emoji: '👍' }),
      code: 1008,
      details: /^missing required parameter reaction\.message_id$/,
    },
    {
      name: 'an empty message_id',
      body: message('reaction', { message_id: '', emoji: '👍' }),
      code: 1009,
      details: /^reaction\.message_id must not be empty/,
    },
    {
      name: 'an emoji that is not a string',
      body: message('reaction', { message_id: 'wamid.a', emoji: 128077 }),
      code: 1009,
      details: /^reaction\.emoji must be of type string$/,
    },
  ]);

  it('tells one emoji from anything else', () => {
    for (const yes of ['😀', '👍🏿', '🏳️‍🌈', '🏴󠁧󠁢󠁥󠁮󠁧󠁿', '👩🏽‍❤️‍💋‍👨🏿', '#️⃣', '©️', '🇺🇳'])
      assert.equal(isOneEmoji(yes), true, yes);
    for (const no of ['', 'x', '😀😀', '😀x', '12', '-', '\u200d', '😀'.repeat(20)])
      assert.equal(isOneEmoji(no), false, no);
  });
});
