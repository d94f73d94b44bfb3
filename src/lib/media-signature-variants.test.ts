// The less common forms of the file signatures (older GIF, empty ZIP, ADIF AAC) and the shortest heads the frame
// checks accept: the cases media-signature.test.ts leaves out, found by the mutation run (README.md#mutation-testing).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { matchesSignature } from './media-signature.js';

const bytes = (...parts: (string | number[])[]) =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p))));

describe('file signatures: the other forms of a type', () => {
  it('accepts a GIF87a image as well as GIF89a', () => {
    assert.equal(matchesSignature('image/gif', bytes('GIF87a', [1, 0])), true);
  });

  it('accepts an empty ZIP archive, which starts with the end-of-directory record', () => {
    assert.equal(matchesSignature('application/zip', bytes('PK', [5, 6], [0, 0])), true);
    assert.equal(
      matchesSignature('application/vnd.openxmlformats-officedocument.wordprocessingml.document', bytes('PK', [5, 6])),
      true,
    );
  });

  it('accepts AAC with an ADIF header', () => {
    assert.equal(matchesSignature('audio/aac', bytes('ADIF', [0])), true);
  });
});

describe('file signatures: the frame sync words', () => {
  it('needs only the two bytes of a sync word', () => {
    assert.equal(matchesSignature('audio/aac', bytes([0xff, 0xf1])), true);
    assert.equal(matchesSignature('audio/mpeg', bytes([0xff, 0xfb])), true);
  });

  it('refuses a head of one byte', () => {
    assert.equal(matchesSignature('audio/aac', bytes([0xff])), false);
    assert.equal(matchesSignature('audio/mpeg', bytes([0xff])), false);
  });

  it('refuses an MP3 sync word whose second byte lacks its three high bits', () => {
    assert.equal(matchesSignature('audio/mpeg', bytes([0xff, 0x1b])), false);
  });

  it('refuses an MP3 frame of the reserved layer 00', () => {
    assert.equal(matchesSignature('audio/mpeg', bytes([0xff, 0xf9])), false);
  });
});
