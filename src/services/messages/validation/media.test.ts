// Media messages (docs/api/messages.md#media-messages): image, audio, video, document, sticker.
import assert from 'node:assert/strict';
import { describe } from 'node:test';
import { itAccepts, itRejects, message } from './test-table.js';

const UUID = '36c484d1-1283-4b94-988d-7276bdec4de2';

describe('media messages: accepted', () => {
  itAccepts([
    // The old API documentation's examples, verbatim.
    {
      name: 'the reference image by id with a caption',
      body: {
        to: '250788123123',
        type: 'image',
        image: { id: '36c484d1-1283-4b94-988d-7276bdec4de2', caption: '...' },
      },
      expect: (m) => assert.deepEqual(m.mediaIds, [UUID]),
    },
    {
      name: 'the reference document by link with caption and filename',
      body: {
        to: '250788123123',
        type: 'document',
        document: { link: 'https://foo.bar/doc.pdf', caption: '...', filename: 'doc.pdf' },
      },
      expect: (m) => assert.deepEqual(m.mediaIds, []),
    },
    {
      name: 'the reference audio by link',
      body: { to: '250788123123', type: 'audio', audio: { link: 'https://foo.bar/audio.mp3' } },
    },
    {
      name: 'a video by id',
      body: message('video', { id: UUID, caption: 'clip' }),
      expect: (m) => assert.deepEqual(m.mediaIds, [UUID]),
    },
    { name: 'a sticker by id', body: message('sticker', { id: UUID }) },
    { name: 'an audio by id', body: message('audio', { id: UUID }) },
    { name: 'an http (not https) link', body: message('image', { link: 'http://example.com/a.png' }) },
    {
      name: 'a link with query and fragment',
      body: message('image', { link: 'https://example.com/a.png?size=2&t=1#x' }),
    },
    { name: 'a link with an upper-case scheme', body: message('image', { link: 'HTTPS://example.com/a.png' }) },
    {
      name: 'a link with a media provider',
      body: message('document', { link: 'https://example.com/a.pdf', provider: { name: 'my-cdn' } }),
    },
    { name: 'a caption of 1024 characters', body: message('image', { id: UUID, caption: 'c'.repeat(1024) }) },
    {
      name: 'a caption of 1024 emoji (counted as characters)',
      body: message('video', { id: UUID, caption: '🎬'.repeat(1024) }),
    },
    { name: 'an empty caption', body: message('image', { id: UUID, caption: '' }) },
    {
      name: 'a filename of 240 characters',
      body: message('document', { id: UUID, filename: `${'f'.repeat(236)}.pdf` }),
    },
  ]);
});

describe('media messages: refused', () => {
  itRejects([
    {
      name: 'neither id nor link',
      body: message('image', { caption: 'x' }),
      code: 1008,
      details: /^missing required parameter image\.id or image\.link$/,
    },
    {
      name: 'an empty media object',
      body: message('sticker', {}),
      code: 1008,
      details: /^missing required parameter sticker\.id or sticker\.link$/,
    },
    {
      name: 'both id and link',
      body: message('video', { id: UUID, link: 'https://example.com/v.mp4' }),
      code: 1009,
      details: /^video must have either id or link, not both$/,
    },
    {
      name: 'a link that is not http(s)',
      body: message('image', { link: 'ftp://example.com/a.png' }),
      code: 1009,
      details: /^image\.link must be an http or https URL$/,
    },
    {
      name: 'a link without a host',
      body: message('image', { link: 'https://' }),
      code: 1009,
      details: /^image\.link must be an http or https URL$/,
    },
    {
      name: 'a link with white space',
      body: message('image', { link: 'https://example.com/a b.png' }),
      code: 1009,
      details: /^image\.link must be an http or https URL$/,
    },
    {
      name: 'a bare path as link',
      body: message('audio', { link: '/files/a.mp3' }),
      code: 1009,
      details: /^audio\.link must be an http or https URL$/,
    },
    {
      name: 'a link over 2048 characters',
      body: message('image', { link: `https://example.com/${'a'.repeat(2048)}` }),
      code: 1009,
      details: /^image\.link must be a string of 1 to 2048 characters$/,
    },
    {
      name: 'an empty id',
      body: message('image', { id: '' }),
      code: 1009,
      details: /^image\.id must not be empty or blank$/,
    },
    {
      name: 'an id that is a number',
      body: message('image', { id: 42 }),
      code: 1009,
      details: /^image\.id must be of type string$/,
    },
    {
      name: 'a caption on audio',
      body: message('audio', { id: UUID, caption: 'x' }),
      code: 1010,
      details: /^audio\.caption is not accepted: only image, video and document take a caption$/,
    },
    {
      name: 'a caption on a sticker',
      body: message('sticker', { id: UUID, caption: 'x' }),
      code: 1010,
      details: /^sticker\.caption is not accepted/,
    },
    {
      name: 'a caption over 1024 characters',
      body: message('image', { id: UUID, caption: 'c'.repeat(1025) }),
      code: 1009,
      details: /^image\.caption must be at most 1024 characters long$/,
    },
    {
      name: 'a caption that is not a string',
      body: message('image', { id: UUID, caption: null }),
      code: 1009,
      details: /^image\.caption must be of type string$/,
    },
    {
      name: 'a filename on an image',
      body: message('image', { id: UUID, filename: 'a.png' }),
      code: 1010,
      details: /^image\.filename is not accepted: only a document takes a filename$/,
    },
    {
      name: 'a filename over 240 characters',
      body: message('document', { id: UUID, filename: 'f'.repeat(241) }),
      code: 1009,
      details: /^document\.filename must be at most 240 characters long$/,
    },
    {
      name: 'a provider without name',
      body: message('image', { link: 'https://example.com/a.png', provider: {} }),
      code: 1008,
      details: /^missing required parameter image\.provider\.name$/,
    },
    {
      name: 'a provider with an empty name',
      body: message('image', { link: 'https://example.com/a.png', provider: { name: '' } }),
      code: 1009,
      details: /^image\.provider\.name must not be empty/,
    },
    {
      name: 'a provider as a string',
      body: message('image', { link: 'https://example.com/a.png', provider: 'my-cdn' }),
      code: 1009,
      details: /^image\.provider must be of type object$/,
    },
    {
      name: 'a provider with another field',
      body: message('image', { link: 'https://example.com/a.png', provider: { name: 'p', type: 'www' } }),
      code: 1010,
      details: /^image\.provider\.type is not an accepted parameter$/,
    },
    {
      name: 'an unknown field',
      body: message('image', { id: UUID, mime_type: 'image/png' }),
      code: 1010,
      details: /^image\.mime_type is not an accepted parameter$/,
    },
    {
      name: 'a media payload that is an array',
      body: message('image', [{ id: UUID }]),
      code: 1009,
      details: /^image must be of type object$/,
    },
  ]);
});
