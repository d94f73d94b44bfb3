// The type and pixel size of a JPEG or PNG, read from the file's own header bytes rather than from what the client
// said it sent. Nothing is decoded: only the PNG signature and IHDR chunk, or the JPEG marker segments up to the
// first frame header (SOFn), are read, so a hostile file costs at most one pass over its bytes.

export type ImageType = 'jpeg' | 'png';

export interface ImageInfo {
  type: ImageType;
  mimeType: 'image/jpeg' | 'image/png';
  width: number;
  height: number;
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const JPEG_SIGNATURE = [0xff, 0xd8, 0xff];
const MIME_TYPES = { jpeg: 'image/jpeg', png: 'image/png' } as const;

/** JPEG or PNG by the leading signature bytes, or null for anything else (WebP, GIF, text, a truncated file). */
export function sniffImageType(bytes: Uint8Array): ImageType | null {
  if (startsWith(bytes, PNG_SIGNATURE)) return 'png';
  if (startsWith(bytes, JPEG_SIGNATURE)) return 'jpeg';
  return null;
}

/** Type and dimensions, or null when the bytes are not a JPEG/PNG or their header is damaged or truncated. */
export function readImageInfo(bytes: Uint8Array): ImageInfo | null {
  const type = sniffImageType(bytes);
  if (type === null) return null;
  const size = type === 'png' ? readPngSize(bytes) : readJpegSize(bytes);
  if (size === null || size.width === 0 || size.height === 0) return null;
  return { type, mimeType: MIME_TYPES[type], ...size };
}

interface Size {
  width: number;
  height: number;
}

/** PNG: the first chunk must be IHDR (13 bytes of data), holding width then height as big-endian 32-bit. */
function readPngSize(bytes: Uint8Array): Size | null {
  if (bytes.length < 24) return null;
  const view = viewOf(bytes);
  const chunkLength = view.getUint32(8);
  const chunkType = String.fromCharCode(...bytes.subarray(12, 16));
  if (chunkLength !== 13 || chunkType !== 'IHDR') return null;
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

// Start-of-frame markers carry the frame's size: C0–CF except C4 (Huffman tables), C8 (reserved for extensions)
// and CC (arithmetic coding conditioning), which share the range but are not frame headers.
function isStartOfFrame(marker: number): boolean {
  return marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
}

// Markers that stand alone, without a length: TEM and the restart markers RST0–RST7.
function isStandalone(marker: number): boolean {
  return marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7);
}

/**
 * JPEG: walk the marker segments after SOI until a frame header (SOFn: precision, height, width). Reaching the
 * scan (SOS) or the end (EOI) first, or running off the bytes, means the size cannot be known.
 */
function readJpegSize(bytes: Uint8Array): Size | null {
  const view = viewOf(bytes);
  let offset = 2;
  while (offset < bytes.length) {
    if (bytes[offset] !== 0xff) return null;
    // Any number of 0xFF fill bytes may precede a marker.
    while (offset < bytes.length && bytes[offset] === 0xff) offset++;
    if (offset >= bytes.length) return null;
    const marker = bytes[offset] as number;
    offset++;
    if (isStandalone(marker)) continue;
    if (marker === 0xd9 || marker === 0xda || offset + 2 > bytes.length) return null;
    const length = view.getUint16(offset);
    if (length < 2) return null;
    if (isStartOfFrame(marker)) {
      if (length < 7 || offset + 7 > bytes.length) return null;
      return { height: view.getUint16(offset + 3), width: view.getUint16(offset + 5) };
    }
    offset += length;
  }
  return null;
}

function startsWith(bytes: Uint8Array, prefix: readonly number[]): boolean {
  return bytes.length >= prefix.length && prefix.every((byte, i) => bytes[i] === byte);
}

function viewOf(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
