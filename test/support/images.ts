// Image files of any size for tests, built in memory: a real PNG (grey RGB, zlib-compressed; it decodes) and a
// baseline JPEG laid out as a decoder expects it (mid-grey: every 8×8 block has DC and AC zero, written with
// one-code Huffman tables, so the scan is 2 bits a block). The server never decodes images, only reads headers.
import { crc32, deflateSync } from 'node:zlib';

export function makePng(width: number, height: number): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8 bits per sample, RGB, deflate, adaptive filtering, no interlace
  // Each row: filter byte 0, then 3 bytes a pixel.
  const raw = Buffer.alloc((width * 3 + 1) * height, 0x80);
  for (let row = 0; row < height; row++) raw[row * (width * 3 + 1)] = 0;
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', header),
    pngChunk('IDAT', deflateSync(raw)),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typed = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typed));
  return Buffer.concat([length, typed, crc]);
}

export interface JpegOptions {
  /** Bytes of an APP1 segment placed before the frame header, as cameras write EXIF there. */
  app1Bytes?: number;
  /** Writes the frame header as progressive (SOF2) instead of baseline (SOF0): for header tests only, the scan stays baseline. */
  progressive?: boolean;
}

export function makeJpeg(width: number, height: number, options: JpegOptions = {}): Buffer {
  const segment = (marker: number, body: number[] | Buffer) => {
    const length = body.length + 2;
    return Buffer.from([0xff, marker, length >> 8, length & 0xff, ...body]);
  };
  const parts = [Buffer.from([0xff, 0xd8])];
  parts.push(segment(0xe0, [...Buffer.from('JFIF\0', 'latin1'), 1, 1, 0, 0, 1, 0, 1, 0, 0]));
  if (options.app1Bytes) parts.push(segment(0xe1, Buffer.alloc(options.app1Bytes, 0x41)));
  parts.push(segment(0xdb, [0, ...new Array<number>(64).fill(1)])); // quantisation table 0, all ones
  const frame = [8, height >> 8, height & 0xff, width >> 8, width & 0xff, 1, 1, 0x11, 0]; // one grey component
  parts.push(segment(options.progressive ? 0xc2 : 0xc0, frame));
  const oneCode = (tableClass: number) => [(tableClass << 4) | 0, 1, ...new Array<number>(15).fill(0), 0];
  parts.push(segment(0xc4, oneCode(0))); // DC table 0: category 0 only, code "0"
  parts.push(segment(0xc4, oneCode(1))); // AC table 0: end-of-block only, code "0"
  parts.push(segment(0xda, [1, 1, 0x00, 0, 63, 0]));
  const blocks = Math.ceil(width / 8) * Math.ceil(height / 8);
  const scan = Buffer.alloc(Math.ceil((blocks * 2) / 8), 0);
  // Pad the last byte's unused bits with ones, as the standard asks.
  const usedBits = (blocks * 2) % 8;
  if (usedBits !== 0) scan[scan.length - 1] = 0xff >> usedBits;
  parts.push(scan, Buffer.from([0xff, 0xd9]));
  return Buffer.concat(parts);
}
