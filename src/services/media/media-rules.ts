// What WhatsApp accepts of each kind of media (docs/api/media.md#media-kinds-and-limits, the post-processing table):
// the MIME types and the largest file. Uploads, media links and inbound sandbox media are all held to these rules, so a
// file the network would refuse later is refused at the door, with the reason.
import { matchesSignature, mimeEssence, sniffMimeType, SIGNED_MIME_TYPES } from '../../lib/media-signature.js';
import { fail, ok, type Result } from '../../lib/result.js';

export type MediaKind = 'image' | 'audio' | 'voice' | 'video' | 'document' | 'sticker';

const KB = 1024;
const MB = 1024 * KB;

// Stickers: 100 KB. Cloud allows 500 KB for animated stickers, but On-Prem never sent animated ones (its media
// page lists them as unsupported), so one limit holds for every WebP.
export const KIND_LIMITS: Readonly<Record<MediaKind, number>> = {
  image: 5 * MB,
  audio: 16 * MB,
  voice: 16 * MB,
  video: 16 * MB,
  document: 100 * MB,
  sticker: 100 * KB,
};

/** The types of each kind; a document may be of any type (null). */
export const KIND_TYPES: Readonly<Record<MediaKind, readonly string[] | null>> = {
  image: ['image/jpeg', 'image/png'],
  audio: ['audio/aac', 'audio/mp4', 'audio/amr', 'audio/mpeg', 'audio/ogg'],
  voice: ['audio/ogg'],
  video: ['video/mp4', 'video/3gpp'],
  sticker: ['image/webp'],
  document: null,
};

/** type/subtype with optional parameters (RFC 6838 names, RFC 9110 parameters). */
export const MIME_TYPE =
  /^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*(\s*;\s*[a-z0-9!#$&^_.+-]+=("[^"]*"|[a-z0-9!#$&^_.+-]+))*$/i;
const MIME_MAX = 255;

export function isMimeType(value: string): boolean {
  return value.length <= MIME_MAX && MIME_TYPE.test(value);
}

/** How one file is judged: its kind's size limit, and what its leading bytes must be. */
export interface MediaRule {
  readonly kind: MediaKind;
  readonly maxBytes: number;
  /** The MIME type the file is, judging by its first bytes; null when they do not fit the rule. */
  identify(head: Uint8Array): string | null;
  /** What the rule expects, for refusals: "image/png data", "an image file (image/jpeg, image/png)". */
  readonly expected: string;
}

/**
 * The kind an upload of this MIME type is (docs/api/media.md#media-kinds-and-limits). Image, audio and video types
 * outside the table are refused rather than taken as documents: WhatsApp would refuse them when the message is sent as
 * that kind, and a file meant as a document can be uploaded as application/octet-stream.
 */
export function kindOfType(mimeType: string): Result<MediaKind> {
  const essence = mimeEssence(mimeType);
  for (const kind of ['image', 'sticker', 'audio', 'video'] as const) {
    if (KIND_TYPES[kind]!.includes(essence)) return ok(kind);
  }
  const family = essence.split('/')[0];
  if (family === 'image' || family === 'audio' || family === 'video') {
    const accepted = [...KIND_TYPES.image!, ...KIND_TYPES.sticker!, ...KIND_TYPES.audio!, ...KIND_TYPES.video!].filter(
      (t) => t.startsWith(`${family}/`),
    );
    return fail(
      'invalidRequest',
      `Content-Type ${essence} is not a supported ${family} type (${accepted.join(', ')}); to send the file as a document, upload it as application/octet-stream`,
    );
  }
  return ok('document');
}

/** A file declared as `mimeType`: its bytes must carry that type's signature, when the type has one. */
export function declaredRule(kind: MediaKind, mimeType: string): MediaRule {
  return {
    kind,
    maxBytes: KIND_LIMITS[kind],
    identify: (head) => (matchesSignature(mimeType, head) === false ? null : mimeType),
    expected: `${mimeEssence(mimeType)} data`,
  };
}

/** A file of some type of `kind`, found from its bytes (a document of no known signature is octet-stream). */
export function kindRule(kind: MediaKind): MediaRule {
  const types = KIND_TYPES[kind];
  return {
    kind,
    maxBytes: KIND_LIMITS[kind],
    identify: (head) =>
      types ? sniffMimeType(head, types) : (sniffMimeType(head, SIGNED_MIME_TYPES) ?? 'application/octet-stream'),
    expected: types ? `${kind === 'image' ? 'an' : 'a'} ${kind} file (${types.join(', ')})` : 'a document',
  };
}
