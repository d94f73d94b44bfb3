import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readImageInfo, sniffImageType } from './image-info.js';

// Headers written out by hand (the reader needs nothing past the frame header or IHDR); the route tests use whole
// files from test/support/images.ts.
function makePng(width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(25);
  ihdr.writeUInt32BE(13, 0);
  ihdr.write('IHDR', 4, 'latin1');
  ihdr.writeUInt32BE(width, 8);
  ihdr.writeUInt32BE(height, 12);
  ihdr.set([8, 2, 0, 0, 0], 16);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), ihdr]);
}

function makeJpeg(width: number, height: number, options: { app1Bytes?: number; progressive?: boolean } = {}): Buffer {
  const segment = (marker: number, body: Buffer) =>
    Buffer.concat([Buffer.from([0xff, marker, (body.length + 2) >> 8, (body.length + 2) & 0xff]), body]);
  return Buffer.concat([
    Buffer.from([0xff, 0xd8]),
    segment(0xe0, Buffer.from('JFIF\0\x01\x01\0\0\x01\0\x01\0\0', 'latin1')),
    options.app1Bytes ? segment(0xe1, Buffer.alloc(options.app1Bytes, 0x41)) : Buffer.alloc(0),
    segment(
      options.progressive ? 0xc2 : 0xc0,
      Buffer.from([8, height >> 8, height & 0xff, width >> 8, width & 0xff, 1, 1, 0x11, 0]),
    ),
    Buffer.from([0xff, 0xd9]),
  ]);
}

describe('sniffImageType', () => {
  it('recognises JPEG and PNG by their signatures', () => {
    assert.equal(sniffImageType(makeJpeg(8, 8)), 'jpeg');
    assert.equal(sniffImageType(makePng(1, 1)), 'png');
  });

  it('answers null for other formats and for too few bytes', () => {
    const others: [string, Buffer][] = [
      ['WebP', Buffer.from('RIFF\x24\x00\x00\x00WEBPVP8 ', 'latin1')],
      ['GIF', Buffer.from('GIF89a\x01\x00\x01\x00', 'latin1')],
      ['text', Buffer.from('{"hello":"world"}')],
      ['empty', Buffer.alloc(0)],
      ['half a PNG signature', makePng(1, 1).subarray(0, 4)],
      ['two JPEG bytes', Buffer.from([0xff, 0xd8])],
    ];
    for (const [name, bytes] of others) assert.equal(sniffImageType(bytes), null, name);
  });
});

describe('readImageInfo', () => {
  it('reads the size of a PNG from its IHDR chunk', () => {
    assert.deepEqual(readImageInfo(makePng(640, 480)), { type: 'png', mimeType: 'image/png', width: 640, height: 480 });
    assert.deepEqual(readImageInfo(makePng(70000, 3)), { type: 'png', mimeType: 'image/png', width: 70000, height: 3 });
  });

  it('reads the size of a JPEG from its frame header, past APPn segments, baseline or progressive', () => {
    assert.deepEqual(readImageInfo(makeJpeg(640, 480)), {
      type: 'jpeg',
      mimeType: 'image/jpeg',
      width: 640,
      height: 480,
    });
    assert.deepEqual(readImageInfo(makeJpeg(193, 2000, { app1Bytes: 60_000 })), {
      type: 'jpeg',
      mimeType: 'image/jpeg',
      width: 193,
      height: 2000,
    });
    assert.deepEqual(readImageInfo(makeJpeg(1024, 768, { progressive: true })), {
      type: 'jpeg',
      mimeType: 'image/jpeg',
      width: 1024,
      height: 768,
    });
  });

  it('skips fill bytes before a marker', () => {
    const jpeg = makeJpeg(300, 200);
    // FF D8, then extra 0xFF fill bytes before the first segment's marker.
    const padded = Buffer.concat([jpeg.subarray(0, 2), Buffer.from([0xff, 0xff, 0xff]), jpeg.subarray(2)]);
    assert.deepEqual(readImageInfo(padded), { type: 'jpeg', mimeType: 'image/jpeg', width: 300, height: 200 });
  });

  it('answers null for a truncated header, wherever it is cut', () => {
    const png = makePng(640, 640);
    for (let end = 0; end < 24; end++) assert.equal(readImageInfo(png.subarray(0, end)), null, `PNG cut at ${end}`);
    const jpeg = makeJpeg(640, 640, { app1Bytes: 100 });
    const frameAt = jpeg.indexOf(Buffer.from([0xff, 0xc0]));
    for (let end = 0; end < frameAt + 9; end++)
      assert.equal(readImageInfo(jpeg.subarray(0, end)), null, `JPEG cut at ${end}`);
    assert.notEqual(readImageInfo(jpeg.subarray(0, frameAt + 9)), null, 'the frame header is all it needs');
  });

  it('answers null for damaged headers', () => {
    const png = makePng(10, 10);
    const notIhdr = Buffer.from(png);
    notIhdr.write('IDAT', 12, 'latin1');
    assert.equal(readImageInfo(notIhdr), null, 'first chunk not IHDR');
    const zeroWidth = Buffer.from(png);
    zeroWidth.writeUInt32BE(0, 16);
    assert.equal(readImageInfo(zeroWidth), null, 'zero width');

    const jpeg = makeJpeg(10, 10);
    const noMarker = Buffer.from(jpeg);
    noMarker[2] = 0x00;
    noMarker[3] = 0x00;
    assert.equal(readImageInfo(noMarker), null, 'a segment not starting with 0xFF');
    const badLength = Buffer.from(jpeg);
    badLength.writeUInt16BE(1, 4);
    assert.equal(readImageInfo(badLength), null, 'a segment length below 2');
    const scanFirst = Buffer.concat([jpeg.subarray(0, 2), Buffer.from([0xff, 0xda, 0x00, 0x02]), jpeg.subarray(2)]);
    assert.equal(readImageInfo(scanFirst), null, 'the scan before any frame header');
    assert.equal(readImageInfo(Buffer.from([0xff, 0xd8, 0xff, 0xd9])), null, 'an empty JPEG');
  });

  it('does not take a Huffman table (C4) or the DAC segment (CC) for a frame header', () => {
    const jpeg = makeJpeg(50, 60);
    // A DHT and a DAC segment placed before the frame header: their bytes would read as a size if taken for one.
    const dht = Buffer.from([0xff, 0xc4, 0x00, 0x08, 0x00, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f]);
    const dac = Buffer.from([0xff, 0xcc, 0x00, 0x08, 0x10, 0x11, 0x12, 0x13, 0x14, 0x15]);
    const tricky = Buffer.concat([jpeg.subarray(0, 2), dht, dac, jpeg.subarray(2)]);
    assert.deepEqual(readImageInfo(tricky), { type: 'jpeg', mimeType: 'image/jpeg', width: 50, height: 60 });
  });

  it('answers null for other formats', () => {
    assert.equal(readImageInfo(Buffer.from('GIF89a\x10\x00\x10\x00', 'latin1')), null);
    assert.equal(readImageInfo(Buffer.alloc(100)), null);
  });
});
