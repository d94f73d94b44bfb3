// Media a virtual customer sends (image, audio, voice, video, document, sticker). The request carries the file as
// base64 `data`, or a `link` the sandbox downloads (through the guarded fetcher); or, as before files could be
// sent, only describes one. The sandbox gives it what WhatsApp's media object carries
// (docs/api/webhooks.md#inbound-messages): a fresh media id, a MIME type and a SHA-256 (of the bytes, or a stand-in
// for a described file). Whether the business downloads the file (and so gets the id) is media.auto_download's
// call, made when the message is received.
import { createHash } from 'node:crypto';
import { KIND_TYPES, MIME_TYPE } from '../../../services/media/media-rules.js';
import { child, compact, has, invalid, optionalString, readObject, unexpected, type JsonObject } from './fields.js';

const MEDIA_TYPES = ['image', 'audio', 'voice', 'video', 'document', 'sticker'] as const;
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

// Captions: image, video and document, as for sending (docs/api/messages.md#media-messages). Filenames: document,
// and audio too because the old API's documentation lists `filename` on inbound audio
// (docs/api/sandbox.md#media-from-a-customer). Voice notes are always Ogg Opus on WhatsApp; the sticker format is
// WebP only, so a sticker accepts nothing else.
const RULES: Record<MediaType, MediaRule> = {
  image: {
    defaultMime: 'image/jpeg',
    fits: (m) => m.startsWith('image/'),
    family: 'an image/* type',
    caption: true,
    filename: false,
  },
  audio: {
    defaultMime: 'audio/mpeg',
    fits: (m) => m.startsWith('audio/'),
    family: 'an audio/* type',
    caption: false,
    filename: true,
  },
  voice: {
    defaultMime: 'audio/ogg; codecs=opus',
    fits: (m) => m.startsWith('audio/'),
    family: 'an audio/* type',
    caption: false,
    filename: false,
  },
  video: {
    defaultMime: 'video/mp4',
    fits: (m) => m.startsWith('video/'),
    family: 'a video/* type',
    caption: true,
    filename: false,
  },
  document: { defaultMime: 'application/pdf', fits: () => true, family: 'a MIME type', caption: true, filename: true },
  sticker: {
    defaultMime: 'image/webp',
    fits: (m) => m === 'image/webp',
    family: 'image/webp',
    caption: false,
    filename: false,
  },
};

const SHA256 = /^[0-9a-fA-F]{64}$/;
/** The limit on captions when sending (docs/api/messages.md#media-messages; Cloud's too); a customer's is the same. */
const CAPTION_MAX = 1024;

export function isMediaType(type: string): type is MediaType {
  return (MEDIA_TYPES as readonly string[]).includes(type);
}

/** Where the file's bytes come from; null for a file that is only described. */
export type InboundMediaSource = { kind: 'data'; bytes: Buffer } | { kind: 'link'; url: string };

export interface InboundMedia {
  /** The media object: id, mime_type (absent when the bytes will tell), sha256 (absent with bytes), caption, filename. */
  object: JsonObject;
  source: InboundMediaSource | null;
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const LINK = /^https?:\/\/[^\s/?#]+\S*$/i;
const LINK_MAX = 2048;

export function readMedia(type: MediaType, value: unknown, newMediaId: () => string): InboundMedia {
  const rule = RULES[type];
  const path = type;
  const allowed = [
    'mime_type',
    'sha256',
    'data',
    'link',
    ...(rule.caption ? ['caption'] : []),
    ...(rule.filename ? ['filename'] : []),
  ];
  const media = readObject(value, path, allowed, (key) => refusal(type, key));
  const source = readSource(media, path);
  const mimeType = optionalString(media, path, 'mime_type', {
    max: 255,
    pattern: MIME_TYPE,
    expected: 'a MIME type such as image/jpeg',
  });
  const fits = source ? bytesFit(type, essence(mimeType ?? '')) : rule.fits(essence(mimeType ?? ''));
  if (mimeType !== undefined && !fits)
    throw invalid(
      child(path, 'mime_type'),
      source ? `one of ${KIND_TYPES[type]!.join(', ')} for ${type} files` : `${rule.family} for ${type} messages`,
    );
  const sha256 = optionalString(media, path, 'sha256', {
    pattern: SHA256,
    expected: "the file's SHA-256 as 64 hex digits",
  });
  const caption = optionalString(media, path, 'caption', { max: CAPTION_MAX });
  const filename = optionalString(media, path, 'filename', { max: 255 });
  const id = newMediaId();
  // A voice note is always Ogg Opus: say so, as WhatsApp does, rather than the bare audio/ogg the bytes show.
  const declared = mimeType ?? (type === 'voice' ? rule.defaultMime : undefined);
  if (source) return { object: compact({ id, mime_type: declared, caption, filename }), source };
  return {
    object: compact({
      id,
      mime_type: mimeType ?? rule.defaultMime,
      sha256: sha256?.toLowerCase() ?? digestOf(id),
      caption,
      filename,
    }),
    source: null,
  };
}

function readSource(media: JsonObject, path: string): InboundMediaSource | null {
  if (has(media, 'data') && has(media, 'link'))
    throw unexpected(child(path, 'link'), `${path}.data already carries the file`);
  if (has(media, 'sha256') && (has(media, 'data') || has(media, 'link')))
    throw unexpected(child(path, 'sha256'), 'the sandbox computes it from the bytes');
  const data = optionalString(media, path, 'data', { pattern: BASE64, expected: "the file's bytes in base64" });
  if (data !== undefined) return { kind: 'data', bytes: Buffer.from(data, 'base64') };
  const link = optionalString(media, path, 'link', { max: LINK_MAX, pattern: LINK, expected: 'an http or https URL' });
  return link === undefined ? null : { kind: 'link', url: link };
}

/**
 * With bytes the type must be one WhatsApp takes for the kind (docs/api/media.md#media-kinds-and-limits), since the
 * bytes are checked against it.
 */
function bytesFit(type: MediaType, essenceOfType: string): boolean {
  const types = KIND_TYPES[type];
  return types === null || types.includes(essenceOfType);
}

/** The media object once the file is known: the business downloaded it (id) or not (status "undownloaded", no id). */
export function completeMedia(
  object: JsonObject,
  file: { mimeType: string; sha256: string },
  downloaded: boolean,
): JsonObject {
  const { id, caption, filename } = object;
  if (downloaded) return compact({ id, mime_type: file.mimeType, sha256: file.sha256, caption, filename });
  return compact({ mime_type: file.mimeType, sha256: file.sha256, caption, filename, status: 'undownloaded' });
}

function refusal(type: MediaType, key: string): string | undefined {
  if (key === 'id' || key === 'file') return 'the sandbox assigns the media id';
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
