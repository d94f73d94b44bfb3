// File signatures: each type's leading bytes, and the look-alikes they must not be taken for.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { matchesSignature, mimeEssence, sniffMimeType, SIGNED_MIME_TYPES } from './media-signature.js';

const bytes = (...parts: (string | number[])[]) =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p))));

const SAMPLES: Record<string, Buffer> = {
  'image/jpeg': bytes([0xff, 0xd8, 0xff, 0xdb]),
  'image/png': bytes([0x89], 'PNG\r\n\x1a\n'),
  'image/webp': bytes('RIFF', [1, 2, 3, 4], 'WEBPVP8L'),
  'image/gif': bytes('GIF89a'),
  'audio/ogg': bytes('OggS', [0]),
  'audio/amr': bytes('#!AMR-WB\n'),
  'audio/aac': bytes([0xff, 0xf9, 0x50]),
  'audio/mpeg': bytes([0xff, 0xfb, 0x90]),
  'video/mp4': bytes([0, 0, 0, 0x18], 'ftypmp42'),
  'application/pdf': bytes('%PDF-1.4'),
  'application/msword': bytes([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]),
  'application/zip': bytes('PK', [3, 4]),
};

describe('file signatures', () => {
  it('recognises each type by its leading bytes', () => {
    for (const [type, head] of Object.entries(SAMPLES)) assert.equal(matchesSignature(type, head), true, type);
    assert.equal(matchesSignature('audio/mpeg', bytes('ID3', [4, 0])), true, 'MP3 with an ID3 tag');
    assert.equal(
      matchesSignature(
        'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        SAMPLES['application/zip']!,
      ),
      true,
    );
    assert.equal(matchesSignature('audio/mp4', SAMPLES['video/mp4']!), true, 'M4A and MP4 share the ISO box');
    assert.equal(matchesSignature('IMAGE/PNG; x=1', SAMPLES['image/png']!), true, 'case and parameters do not matter');
  });

  it('refuses other files, truncated heads and look-alikes', () => {
    assert.equal(matchesSignature('image/jpeg', SAMPLES['image/png']!), false);
    assert.equal(matchesSignature('image/jpeg', bytes([0xff, 0xd8])), false, 'too short');
    assert.equal(
      matchesSignature('image/webp', bytes('RIFF', [1, 2, 3, 4], 'WAVEfmt ')),
      false,
      'a WAV file is RIFF too',
    );
    assert.equal(matchesSignature('audio/mpeg', bytes([0xff, 0xf1])), false, 'an AAC sync word is not an MP3 frame');
    assert.equal(matchesSignature('audio/aac', bytes([0xff, 0xfb])), false, 'an MP3 frame is not ADTS');
    assert.equal(matchesSignature('application/pdf', bytes('<html>')), false);
  });

  it('has nothing to say about types without a signature', () => {
    assert.equal(matchesSignature('text/plain', bytes('hello')), undefined);
    assert.equal(matchesSignature('application/octet-stream', bytes([0, 1, 2])), undefined);
  });

  it('sniffs the type among candidates, in their order', () => {
    assert.equal(sniffMimeType(SAMPLES['image/png']!, ['image/jpeg', 'image/png']), 'image/png');
    assert.equal(sniffMimeType(SAMPLES['image/gif']!, ['image/jpeg', 'image/png']), null);
    assert.equal(sniffMimeType(SAMPLES['application/pdf']!, SIGNED_MIME_TYPES), 'application/pdf');
    assert.equal(mimeEssence(' Audio/OGG ; codecs=opus'), 'audio/ogg');
  });
});
