// File signatures ("magic numbers"): whether the first bytes of a file are what its declared MIME type says. A
// Content-Type header costs nothing to fake; the bytes decide. Shared by media uploads, media links and inbound
// sandbox media; usable by anything else that takes files (the profile photo).

/** Enough leading bytes for every signature below. */
export const SIGNATURE_BYTES = 16;

type Check = (head: Uint8Array) => boolean;

function bytesAt(offset: number, expected: readonly number[] | string): Check {
  const want = typeof expected === 'string' ? [...expected].map((c) => c.charCodeAt(0)) : expected;
  return (head) => head.length >= offset + want.length && want.every((byte, i) => head[offset + i] === byte);
}

const any =
  (...checks: Check[]): Check =>
  (head) =>
    checks.some((check) => check(head));
const all =
  (...checks: Check[]): Check =>
  (head) =>
    checks.every((check) => check(head));

/** ISO base media (MP4, M4A, 3GP): a first box of type `ftyp`. */
const isoMedia = bytesAt(4, 'ftyp');
const ole = bytesAt(0, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
const zip = any(bytesAt(0, 'PK\u0003\u0004'), bytesAt(0, 'PK\u0005\u0006'));
// AAC in ADTS frames: a 12-bit sync word and layer 00 (0xFFF1 MPEG-4, 0xFFF9 MPEG-2); or the rare ADIF header.
const adts: Check = (h) => h.length >= 2 && h[0] === 0xff && (h[1]! & 0xf6) === 0xf0;
// An MP3 frame: an 11-bit sync word and a layer other than the reserved 00; or an ID3v2 tag in front.
const mpegFrame: Check = (h) => h.length >= 2 && h[0] === 0xff && (h[1]! & 0xe0) === 0xe0 && (h[1]! & 0x06) !== 0;

const SIGNATURES: Record<string, Check> = {
  'image/jpeg': bytesAt(0, [0xff, 0xd8, 0xff]),
  'image/png': bytesAt(0, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  'image/webp': all(bytesAt(0, 'RIFF'), bytesAt(8, 'WEBP')),
  'image/gif': any(bytesAt(0, 'GIF87a'), bytesAt(0, 'GIF89a')),
  'audio/ogg': bytesAt(0, 'OggS'),
  'audio/amr': bytesAt(0, '#!AMR'),
  'audio/aac': any(adts, bytesAt(0, 'ADIF')),
  'audio/mpeg': any(bytesAt(0, 'ID3'), mpegFrame),
  'audio/mp4': isoMedia,
  'video/mp4': isoMedia,
  'video/3gpp': isoMedia,
  'application/pdf': bytesAt(0, '%PDF-'),
  'application/msword': ole,
  'application/vnd.ms-excel': ole,
  'application/vnd.ms-powerpoint': ole,
  'application/zip': zip,
};

/** The lower-cased type/subtype of a MIME type, without parameters. */
export function mimeEssence(mimeType: string): string {
  return (mimeType.split(';')[0] ?? '').trim().toLowerCase();
}

function checkFor(essence: string): Check | undefined {
  // Office Open XML (docx, xlsx, pptx) files are ZIP archives.
  if (essence.startsWith('application/vnd.openxmlformats-officedocument.')) return zip;
  return SIGNATURES[essence];
}

/** True or false when the type has a known signature; undefined when it has none to check (text/plain, ...). */
export function matchesSignature(mimeType: string, head: Uint8Array): boolean | undefined {
  return checkFor(mimeEssence(mimeType))?.(head);
}

/** The first of `candidates` whose signature the bytes carry, or null. */
export function sniffMimeType(head: Uint8Array, candidates: readonly string[]): string | null {
  return candidates.find((candidate) => checkFor(mimeEssence(candidate))?.(head) === true) ?? null;
}

/** Every MIME type with a known signature, for sniffing a file of unknown type. */
export const SIGNED_MIME_TYPES: readonly string[] = Object.keys(SIGNATURES);
