// The streaming inspector: limits, signatures judged across chunk boundaries, hashes, and nothing passed on
// before the signature is judged.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { inspectMedia, MediaRejectedError } from './inspector.js';
import { declaredRule, kindOfType, kindRule } from './media-rules.js';

async function* pieces(bytes: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}
const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(1000, 1)]);

async function drain(source: AsyncIterable<Buffer>): Promise<Buffer> {
  const out: Buffer[] = [];
  for await (const chunk of source) out.push(chunk);
  return Buffer.concat(out);
}

describe('media inspector', () => {
  it('passes the bytes on unchanged, judging a signature split over one-byte chunks, and hashes them', async () => {
    const inspection = inspectMedia(pieces(png, 1), declaredRule('image', 'image/png'));
    assert.ok((await drain(inspection.chunks)).equals(png));
    assert.deepEqual(inspection.result(), {
      mimeType: 'image/png',
      sha256: createHash('sha256').update(png).digest('hex'),
      size: png.length,
    });
  });

  it('stops at the signature before passing anything on, and at the first byte over the limit', async () => {
    const passed: Buffer[] = [];
    const wrong = inspectMedia(pieces(png, 4), declaredRule('image', 'image/jpeg'));
    await assert.rejects(
      async () => {
        for await (const chunk of wrong.chunks) passed.push(chunk);
      },
      (e: unknown) => e instanceof MediaRejectedError && e.reason === 'signature',
    );
    assert.deepEqual(passed, []);
    const rule = { ...declaredRule('image', 'image/png'), maxBytes: png.length - 1 };
    await assert.rejects(
      drain(inspectMedia(pieces(png, 100), rule).chunks),
      (e: unknown) => e instanceof MediaRejectedError && e.reason === 'too-large',
    );
    await assert.rejects(
      drain(inspectMedia(pieces(Buffer.alloc(0), 1), rule).chunks),
      (e: unknown) => e instanceof MediaRejectedError && e.reason === 'empty',
    );
  });

  it('finds the type of a kind from the bytes; a document of unknown type is octet-stream', async () => {
    const image = inspectMedia(pieces(png, 3), kindRule('image'));
    await drain(image.chunks);
    assert.equal(image.result().mimeType, 'image/png');
    const doc = inspectMedia(pieces(Buffer.from('just text'), 3), kindRule('document'));
    await drain(doc.chunks);
    assert.equal(doc.result().mimeType, 'application/octet-stream');
  });

  it('files uploads under the kinds of the reference table, refusing image, audio and video types outside it', () => {
    assert.deepEqual(
      [
        'image/jpeg',
        'image/webp',
        'audio/amr',
        'video/3gpp',
        'application/pdf',
        'text/csv',
        'application/octet-stream',
      ].map((t) => {
        const kind = kindOfType(t);
        return kind.ok ? kind.value : null;
      }),
      ['image', 'sticker', 'audio', 'video', 'document', 'document', 'document'],
    );
    for (const refused of ['image/gif', 'audio/wav', 'video/quicktime'])
      assert.equal(kindOfType(refused).ok, false, refused);
  });
});
