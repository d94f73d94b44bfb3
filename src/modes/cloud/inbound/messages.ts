// A Cloud inbound message (value.messages[]) as On-Prem's (docs/api/webhooks.md#inbound-messages): the same {from,
// id, timestamp, type, <type>: {...}, context?, referral?, identity?, errors?} the sandbox's inbound path produces,
// with these differences from Cloud undone (docs/api/cloud-bridge.md#inbound-messages):
//   audio with `voice: true`        → type "voice" (On-Prem's voice note)
//   media ids (Cloud's, 7 days)     → local media ids (adoptInboundMedia); sha256 in hex, as On-Prem wrote it
//   system user_changed_number/wa_id → customer_changed_number/new_wa_id
//   unsupported, and types or interactive replies On-Prem never had → "unknown" with the 501 error
//   errors on other messages        → codes translated to On-Prem's asynchronous ones
import { ApiError, ERROR_TITLES } from '../../../errors.js';
import type { MediaType } from '../../../services/settings.js';
import {
  isObject,
  objectsIn,
  pick,
  stringOf,
  translateCloudErrors,
  type DroppedField,
  type JsonObject,
} from './objects.js';

/** The outbound half's media map (src/modes/cloud/cloud-media.ts): a local id per Cloud id, idempotent. */
export type AdoptInboundMedia = (
  media: { id: string; mime_type: string; sha256?: string; filename?: string },
  options: { download: boolean },
) => Promise<string>;

/** The adopter failed: the payload is tried again later (see the worker). */
export class MediaAdoptionError extends Error {
  constructor(cause: unknown) {
    super(`inbound media could not be adopted: ${(cause as Error)?.message ?? String(cause)}`, { cause });
    this.name = 'MediaAdoptionError';
  }
}

export interface MessageTranslationDeps {
  adopt: AdoptInboundMedia;
  /** media.auto_download: which kinds are downloaded at once. */
  autoDownload: readonly MediaType[];
  /** After the last attempt: media are delivered as On-Prem's undownloaded ones (no id) instead of retried. */
  mediaGivenUp: boolean;
  dropped: DroppedField;
}

export interface TranslatedMessage {
  /** The On-Prem message object, as the webhook carries it. */
  message: JsonObject;
  type: string;
  /** context.id: the business message quoted. */
  contextId: string | null;
}

/** 501 Unknown message type, exactly as On-Prem (and the sandbox) wrote it. */
const UNKNOWN_ERRORS = [{ code: 501, title: ERROR_TITLES[501], details: 'Message type is not currently supported' }];
const COMMON_KEYS = ['from', 'id', 'timestamp', 'type', 'context', 'referral', 'identity', 'errors'];
const REFERRAL_KEYS = [
  'source_url',
  'source_id',
  'source_type',
  'body',
  'headline',
  'media_type',
  'image_url',
  'video_url',
  'thumbnail_url',
];
const CARD_KEYS = ['addresses', 'birthday', 'emails', 'ims', 'name', 'org', 'phones', 'urls'];
const MEDIA_TYPES = ['image', 'audio', 'video', 'document', 'sticker'];
const CAPTIONED = ['image', 'video', 'document'];
const NAMED = ['document', 'audio'];

/**
 * `from` is the sender's wa_id as the caller resolved it (Cloud's contacts[].wa_id when it differs from the number).
 * Answers null for a message Meta sent without its id, type or timestamp.
 */
export async function translateMessage(
  cloud: JsonObject,
  from: string,
  deps: MessageTranslationDeps,
): Promise<TranslatedMessage | null> {
  const id = stringOf(cloud.id);
  const cloudType = stringOf(cloud.type);
  const timestamp = stringOf(cloud.timestamp);
  if (!id || !cloudType || !timestamp || !/^\d{1,12}$/.test(timestamp)) return null;
  const kept = pick(cloud, [...COMMON_KEYS, cloudType], 'message', deps.dropped);
  const content = await translateContent(cloudType, kept[cloudType], deps);
  if (!content && cloudType !== 'unsupported' && cloudType !== 'unknown') deps.dropped(`message.type.${cloudType}`);
  const message: JsonObject = { from, id, timestamp, type: content?.type ?? 'unknown' };
  if (content) message[content.type] = content.value;
  const context = isObject(kept.context)
    ? pick(kept.context, ['from', 'id', 'referred_product'], 'message.context', deps.dropped)
    : null;
  if (context) message.context = context;
  if (isObject(kept.referral)) message.referral = pick(kept.referral, REFERRAL_KEYS, 'message.referral', deps.dropped);
  if (isObject(kept.identity))
    message.identity = pick(
      kept.identity,
      ['acknowledged', 'created_timestamp', 'hash'],
      'message.identity',
      deps.dropped,
    );
  const errors = content ? translateCloudErrors(kept.errors) : UNKNOWN_ERRORS.map((error) => ({ ...error }));
  if (errors.length > 0) message.errors = errors;
  return { message, type: message.type as string, contextId: stringOf(context?.id) ?? null };
}

/** The On-Prem type and content object; null when On-Prem would have called the message unknown. */
async function translateContent(
  type: string,
  value: unknown,
  deps: MessageTranslationDeps,
): Promise<{ type: string; value: unknown } | null> {
  const where = `message.${type}`;
  if (MEDIA_TYPES.includes(type)) return isObject(value) ? translateMedia(type, value, deps) : null;
  if (type === 'contacts')
    return Array.isArray(value)
      ? { type, value: objectsIn(value).map((card) => pick(card, CARD_KEYS, where, deps.dropped)) }
      : null;
  if (!isObject(value)) return null;
  switch (type) {
    case 'text':
      return { type, value: pick(value, ['body'], where, deps.dropped) };
    case 'location':
      return { type, value: pick(value, ['address', 'latitude', 'longitude', 'name', 'url'], where, deps.dropped) };
    case 'button':
      return { type, value: pick(value, ['payload', 'text'], where, deps.dropped) };
    case 'reaction':
      return { type, value: pick(value, ['message_id', 'emoji'], where, deps.dropped) };
    case 'order':
      return { type, value: pick(value, ['catalog_id', 'text', 'product_items'], where, deps.dropped) };
    case 'interactive':
      return translateInteractive(value, deps.dropped);
    case 'system':
      return translateSystem(value, deps.dropped);
    default:
      // unsupported, and Cloud-only types (request_welcome, edit, revoke, …): On-Prem's "unknown".
      return null;
  }
}

function translateInteractive(value: JsonObject, dropped: DroppedField): { type: string; value: unknown } | null {
  const kind = stringOf(value.type);
  const fields =
    kind === 'button_reply' ? ['id', 'title'] : kind === 'list_reply' ? ['id', 'title', 'description'] : null;
  // Flows' nfm_reply and later kinds have no On-Prem form.
  if (!fields || !kind || !isObject(value[kind])) return null;
  const kept = pick(value, ['type', kind], 'message.interactive', dropped);
  return {
    type: 'interactive',
    value: { type: kept.type, [kind]: pick(value[kind] as JsonObject, fields, `message.interactive.${kind}`, dropped) },
  };
}

function translateSystem(value: JsonObject, dropped: DroppedField): { type: string; value: unknown } {
  const where = 'message.system';
  if (value.type === 'user_changed_number') {
    const kept = pick(value, ['body', 'type', 'wa_id'], where, dropped);
    return { type: 'system', value: { body: kept.body, type: 'customer_changed_number', new_wa_id: kept.wa_id } };
  }
  // customer_changed_number and customer_identity_changed have the same fields on both APIs.
  return { type: 'system', value: pick(value, ['body', 'type', 'new_wa_id', 'identity', 'customer'], where, dropped) };
}

async function translateMedia(
  cloudType: string,
  value: JsonObject,
  deps: MessageTranslationDeps,
): Promise<{ type: string; value: unknown } | null> {
  const type = cloudType === 'audio' && value.voice === true ? 'voice' : cloudType;
  const allowed = [
    'id',
    'mime_type',
    'sha256',
    ...(CAPTIONED.includes(cloudType) ? ['caption'] : []),
    ...(NAMED.includes(cloudType) ? ['filename'] : []),
  ];
  const kept = pick(
    value,
    cloudType === 'audio' ? [...allowed, 'voice'] : allowed,
    `message.${cloudType}`,
    deps.dropped,
  );
  const cloudId = stringOf(kept.id);
  const mimeType = stringOf(kept.mime_type);
  if (!cloudId || !mimeType) return null;
  const sha256 = hexDigest(stringOf(kept.sha256));
  const described = {
    mime_type: mimeType,
    ...(sha256 ? { sha256 } : {}),
    ...optional(kept, 'caption'),
    ...optional(kept, 'filename'),
  };
  if (deps.mediaGivenUp) return { type, value: { ...described, status: 'undownloaded' } };
  const filename = stringOf(kept.filename);
  let localId: string;
  try {
    const download = deps.autoDownload.includes(type as MediaType);
    localId = await deps.adopt(
      { id: cloudId, mime_type: mimeType, ...(sha256 ? { sha256 } : {}), ...(filename ? { filename } : {}) },
      { download },
    );
  } catch (error) {
    // Meta no longer has it, or its bytes break the media rules: retrying cannot help, so the message goes out now as
    // On-Prem announced media it could not fetch. Graph unreachable or unwell (503) holds the webhook for a retry.
    if (error instanceof ApiError && error.status < 500)
      return { type, value: { ...described, status: 'undownloaded' } };
    throw new MediaAdoptionError(error);
  }
  return { type, value: { id: localId, ...described } };
}

function optional(source: JsonObject, key: string): JsonObject {
  return typeof source[key] === 'string' ? { [key]: source[key] } : {};
}

/** Cloud writes a file's SHA-256 in base64, On-Prem (and GET /v1/media's store) in hex. */
function hexDigest(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (/^[0-9a-fA-F]{64}$/.test(value)) return value.toLowerCase();
  const bytes = /^[A-Za-z0-9+/]{43}=$/.test(value) ? Buffer.from(value, 'base64') : null;
  return bytes?.length === 32 ? bytes.toString('hex') : value;
}
