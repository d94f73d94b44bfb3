// Media a virtual customer sends (image, audio, voice, video, document, sticker). There is no file: the request
// describes one, and the sandbox gives it what WhatsApp's media object carries (reference §8.2): a fresh media id,
// a MIME type, and a SHA-256.
import { createHash } from 'node:crypto';
import { child, compact, invalid, optionalString, readObject, type JsonObject } from './fields.js';

export const MEDIA_TYPES = ['image', 'audio', 'voice', 'video', 'document', 'sticker'] as const;
export type MediaType = (typeof MEDIA_TYPES)[number];

interface MediaRule {
  /** What WhatsApp clients send by default for this kind of message. */
  defaultMime: string;
  /** Whether a MIME type (lower-cased, without parameters) fits this kind of message. */
  fits(essence: string): boolean;
  family: string;
  caption: boolean;
  filename: boolean;
}

// Captions: image, video and document, as for sending (§3.2). Filenames: document, and audio too because the
// reference lists `filename` on inbound audio (§8.2). Voice notes are always Ogg Opus on WhatsApp; the sticker
// format is WebP only, so a sticker accepts nothing else.
const RULES: Record<MediaType, MediaRule> = {
  image: { defaultMime: 'image/jpeg', fits: (m) => m.startsWith('image/'), family: 'an image/* type', caption: true, filename: false },
  audio: { defaultMime: 'audio/mpeg', fits: (m) => m.startsWith('audio/'), family: 'an audio/* type', caption: false, filename: true },
  voice: { defaultMime: 'audio/ogg; codecs=opus', fits: (m) => m.startsWith('audio/'), family: 'an audio/* type', caption: false, filename: false },
  video: { defaultMime: 'video/mp4', fits: (m) => m.startsWith('video/'), family: 'a video/* type', caption: true, filename: false },
  document: { defaultMime: 'application/pdf', fits: () => true, family: 'a MIME type', caption: true, filename: true },
  sticker: { defaultMime: 'image/webp', fits: (m) => m === 'image/webp', family: 'image/webp', caption: false, filename: false },
};

/** type/subtype with optional parameters (RFC 6838 names, RFC 9110 parameters). */
const MIME = /^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*(\s*;\s*[a-z0-9!#$&^_.+-]+=("[^"]*"|[a-z0-9!#$&^_.+-]+))*$/i;
const SHA256 = /^[0-9a-fA-F]{64}$/;
/** The reference's limit for sending captions (Cloud's too); a customer's caption is held to the same. */
const CAPTION_MAX = 1024;

export function isMediaType(type: string): type is MediaType {
  return (MEDIA_TYPES as readonly string[]).includes(type);
}

export function readMedia(type: MediaType, value: unknown, newMediaId: () => string): JsonObject {
  const rule = RULES[type];
  const path = type;
  const allowed = ['mime_type', 'sha256', ...(rule.caption ? ['caption'] : []), ...(rule.filename ? ['filename'] : [])];
  const media = readObject(value, path, allowed, (key) => refusal(type, key));
  const mimeType = optionalString(media, path, 'mime_type', { max: 255, pattern: MIME, expected: 'a MIME type such as image/jpeg' });
  if (mimeType !== undefined && !rule.fits(essence(mimeType))) throw invalid(child(path, 'mime_type'), `${rule.family} for ${type} messages`);
  const sha256 = optionalString(media, path, 'sha256', { pattern: SHA256, expected: "the file's SHA-256 as 64 hex digits" });
  const caption = optionalString(media, path, 'caption', { max: CAPTION_MAX });
  const filename = optionalString(media, path, 'filename', { max: 255 });
  const id = newMediaId();
  return compact({ id, mime_type: mimeType ?? rule.defaultMime, sha256: sha256?.toLowerCase() ?? digestOf(id), caption, filename });
}

function refusal(type: MediaType, key: string): string | undefined {
  if (key === 'id' || key === 'link' || key === 'file') return 'the sandbox assigns the media id';
  if (key === 'caption') return `${type} messages carry no caption`;
  if (key === 'filename') return 'only document and audio messages carry a filename';
  return undefined;
}

function essence(mimeType: string): string {
  return (mimeType.split(';')[0] ?? '').trim().toLowerCase();
}

/** A stable stand-in for the hash of a file that does not exist: the same media id always gives the same value. */
function digestOf(mediaId: string): string {
  return createHash('sha256').update(mediaId).digest('hex');
}
