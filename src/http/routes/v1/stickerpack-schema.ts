// Schemas of the sticker pack routes (docs/api/stickerpacks.md). Request bodies are the ones of Meta's request
// collection; the answers follow the API's convention of a top-level array named after the resource, plus `meta`.
import { ApiError } from '../../../errors.js';
import { envelope } from '../../schemas.js';

const text = { type: 'string' } as const;
const nullableText = { type: ['string', 'null'] } as const;

/** `namespace=whatsapp` addresses WhatsApp's first-party packs; left out, the business's own. */
export const namespaceQuery = {
  type: 'object',
  additionalProperties: false,
  properties: { namespace: { type: 'string', enum: ['whatsapp'] } },
} as const;

export interface NamespaceQuery {
  namespace?: 'whatsapp';
}

export const packParams = {
  type: 'object',
  required: ['pack_id'],
  properties: { pack_id: { type: 'string', minLength: 1, maxLength: 128 } },
} as const;

/** Path parameters are strings (no type coercion in this app): the index is read from its digits. */
export const stickerParams = {
  type: 'object',
  required: ['pack_id', 'index'],
  properties: { pack_id: packParams.properties.pack_id, index: { type: 'string', pattern: '^[0-9]{1,9}$' } },
} as const;

const packFields = {
  publisher: text,
  name: text,
  ios_app_store_link: nullableText,
  android_app_store_link: nullableText,
} as const;
export const packCreateBody = {
  type: 'object',
  additionalProperties: false,
  required: ['publisher', 'name'],
  properties: packFields,
} as const;
export const packUpdateBody = { type: 'object', additionalProperties: false, properties: packFields } as const;

const stickerFields = {
  image_data_id: { type: 'string', minLength: 1, maxLength: 256 },
  emojis: { type: 'array', items: text },
} as const;
export const stickerCreateBody = {
  type: 'object',
  additionalProperties: false,
  required: ['image_data_id', 'emojis'],
  properties: stickerFields,
} as const;
export const stickerUpdateBody = { type: 'object', additionalProperties: false, properties: stickerFields } as const;

const packItem = {
  type: 'object',
  properties: { id: text, publisher: text, name: text, ios_app_store_link: text, android_app_store_link: text },
} as const;
const stickerItem = {
  type: 'object',
  properties: { index: { type: 'integer' }, image_data_id: text, emojis: { type: 'array', items: text } },
} as const;

export const packsResponse = envelope({ stickerpacks: { type: 'array', items: packItem } });
export const stickersResponse = envelope({ stickers: { type: 'array', items: stickerItem } });

/**
 * WhatsApp's own packs: the old API's documentation gives their paths but not their contents, and OpenPrem has none to
 * serve. Every call that names them is answered 404 / 1006, saying so.
 */
export function refuseFirstParty(query: NamespaceQuery): void {
  if (query.namespace === 'whatsapp') {
    throw new ApiError(
      'notFound',
      "WhatsApp's first-party sticker packs (namespace=whatsapp) are not available in OpenPrem: their contents are not documented; leave namespace out for the business's own packs",
    );
  }
}
