// The body of POST /v1/messages (docs/api/messages.md#send-a-message), checked completely before anything is stored or
// sent: a pure function from the parsed JSON to an OutboundMessage, or an ApiError with the old API's code and a
// `details` that names the field by its JSON path (interactive.action.sections[1].rows[0].title) and what was expected.
//
// Each message type is a family (validation/*.ts): a JSON schema, compiled once here with the envelope around it,
// and the few rules a schema cannot state. Special codes: 1001 text too long, 1002 recipient_type, 2014 template
// namespace, 2015/2016 list sections/rows, 2023 product count, 2036 header kind; the rest is 1008/1009/1010.
//
// Speed, measured by hand (node 20, tsc output, one core of a 2-vCPU Xeon VM, 1M iterations after warm-up): a text
// message 0.4 µs (2.5 million/s), the old API's template example 1.8-2.3 µs (430,000-560,000/s), its list example
// 0.5 µs, a refused list (2015) 7.5-9 µs. At 10,000 sends/s that is under 25 ms of CPU per second. Start-up
// pays instead: compiling every type's validator takes about 160 ms, once. (Measure the tsc output: under tsx,
// esbuild's keepNames wrapper around every closure made the template checks ten times slower.) The collection-shape
// rewrite (template-shapes.ts) and the x-scalar-strings keyword, best of 9 runs of 1M on a VM at load 13-16 on 2
// cores, so noisy: that template 2.3 → 3.7 µs, a text 0.19 → 0.27 µs, a location 0.27 → 0.36 µs.
import { ApiError } from '../../errors.js';
import { contactsFamily } from './validation/contacts.js';
import { has, type Findings, type JsonObject, type PayloadFamily, type TemplateSummary } from './validation/family.js';
import { hsmFamily } from './validation/hsm.js';
import { interactiveFamily } from './validation/interactive.js';
import { mediaFamily } from './validation/media.js';
import { compile, object, schemaFailure, string, text, type ErrorOverrides, type Schema } from './validation/schema.js';
import { locationFamily, reactionFamily, textFamily } from './validation/simple.js';
import { templateFamily } from './validation/template.js';
import { readTtl, TTL_EXPECTED } from './validation/ttl.js';

export type { TemplateSummary } from './validation/family.js';

export type OutboundType =
  | 'text'
  | 'image'
  | 'audio'
  | 'video'
  | 'document'
  | 'sticker'
  | 'location'
  | 'contacts'
  | 'interactive'
  | 'template'
  | 'hsm'
  | 'reaction';

export interface OutboundMessage {
  /** Exactly as given (not trimmed): the caller resolves it to a wa_id. */
  to: string;
  /** `text` when the body has no `type`. */
  type: OutboundType;
  /** The payload named after the type, as given and validated (for contacts: the array). Not copied: do not mutate. */
  content: Record<string, unknown> | unknown[];
  /** Top-level preview_url; only a text message may carry it. */
  previewUrl: boolean;
  /** context.message_id: the message this one replies to. */
  contextMessageId: string | null;
  /** ttl of a template or hsm send, in seconds. */
  ttlSeconds: number | null;
  /** Every media id referenced (media object, interactive header, template parameters), for an existence check. */
  mediaIds: string[];
  /** Template and hsm sends: what to match against the template registry. */
  template: TemplateSummary | null;
  /** Echoed in the message's status webhooks. */
  bizOpaqueCallbackData: string | null;
}

export const OUTBOUND_TYPES = [
  'text',
  'image',
  'audio',
  'video',
  'document',
  'sticker',
  'location',
  'contacts',
  'interactive',
  'template',
  'hsm',
  'reaction',
] as const satisfies readonly OutboundType[];

const TO_MAX = 64;
/** The Cloud API's limit for the same field (the old API's documentation gives none for On-Prem). */
const CALLBACK_DATA_MAX = 512;

const FAMILIES: Record<OutboundType, PayloadFamily> = {
  text: textFamily,
  image: mediaFamily('image'),
  audio: mediaFamily('audio'),
  video: mediaFamily('video'),
  document: mediaFamily('document'),
  sticker: mediaFamily('sticker'),
  location: locationFamily,
  contacts: contactsFamily,
  interactive: interactiveFamily,
  template: templateFamily,
  hsm: hsmFamily,
  reaction: reactionFamily,
};

const DEFAULT_NOTE = ' (type is text when omitted)';

/** The whole body of one type: the envelope's fields, the type's payload, and nothing else. */
function messageSchema(type: OutboundType): Schema {
  const properties: Record<string, Schema> = {
    to: text(TO_MAX),
    type: { type: 'string' },
    recipient_type: { type: 'string' },
    biz_opaque_callback_data: string(0, CALLBACK_DATA_MAX),
    [type]: FAMILIES[type].schema,
  };
  // A reaction names its message in reaction.message_id; a context beside it would be a second, conflicting one.
  if (type !== 'reaction') properties.context = object({ message_id: text() }, ['message_id']);
  if (type === 'text') properties.preview_url = { type: 'boolean' };
  if (type === 'template' || type === 'hsm') {
    properties.ttl = { type: ['integer', 'string'], 'x-errors': { type: { details: `{path} must ${TTL_EXPECTED}` } } };
  }
  const hints: ErrorOverrides = {
    [`required:${type}`]: {
      details: `missing required parameter {path}: ${article(type)} ${type} message carries its content there${type === 'text' ? DEFAULT_NOTE : ''}`,
    },
    'additionalProperties:preview_url': { details: '{path} is not accepted: only a text message takes preview_url' },
    'additionalProperties:ttl': { details: '{path} is not accepted: only template and hsm messages take a ttl' },
    'additionalProperties:context': {
      details: '{path} is not accepted in a reaction: reaction.message_id names the message',
    },
    'additionalProperties:render_mentions': {
      details: '{path} is not accepted: it belonged to the legacy Groups API, which OpenPrem does not implement',
    },
  };
  for (const other of OUTBOUND_TYPES) {
    if (other !== type)
      hints[`additionalProperties:${other}`] = {
        details: `{path} is not accepted in ${article(type)} ${type} message`,
      };
  }
  return object(properties, ['to', type], { 'x-errors': hints });
}

function article(type: OutboundType): string {
  return /^(?:[aeiou]|hsm)/.test(type) ? 'an' : 'a';
}

type Validator = ReturnType<typeof compile>;
const VALIDATORS = Object.fromEntries(OUTBOUND_TYPES.map((type) => [type, compile(messageSchema(type))])) as Record<
  OutboundType,
  Validator
>;

/** Throws ApiError with the old API's codes. */
export function validateOutboundMessage(body: unknown): OutboundMessage {
  if (body === undefined) throw new ApiError('missingParameter', 'the request needs a JSON body');
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new ApiError('invalidParameter', 'the body must be of type object');
  const message = body as JsonObject;
  checkRecipientType(message);
  const type = readType(message);
  const validate = VALIDATORS[type];
  FAMILIES[type].normalise?.(message[type]);
  if (!validate(message)) throw schemaFailure(validate);
  const content = message[type] as JsonObject | unknown[];
  const findings: Findings = { mediaIds: [], template: null };
  FAMILIES[type].check?.(content, findings);
  return {
    to: message.to as string,
    type,
    content,
    previewUrl: message.preview_url === true,
    contextMessageId: has(message, 'context') ? ((message.context as JsonObject).message_id as string) : null,
    ttlSeconds: has(message, 'ttl') ? readTtl(message.ttl) : null,
    mediaIds: findings.mediaIds,
    template: findings.template,
    bizOpaqueCallbackData: has(message, 'biz_opaque_callback_data')
      ? (message.biz_opaque_callback_data as string)
      : null,
  };
}

/** First, as it decides how everything else would be read: only one-to-one messages exist here. */
function checkRecipientType(message: JsonObject): void {
  if (!has(message, 'recipient_type') || message.recipient_type === 'individual') return;
  if (message.recipient_type === 'group') {
    throw new ApiError(
      'invalidRecipientType',
      'recipient_type "group" is not supported: OpenPrem does not implement the legacy Groups API; send to "individual" recipients (the default)',
    );
  }
  throw new ApiError('invalidRecipientType', 'recipient_type must be "individual" (the default)');
}

function readType(message: JsonObject): OutboundType {
  if (!has(message, 'type')) return 'text';
  const type = message.type;
  if (typeof type === 'string' && Object.hasOwn(FAMILIES, type)) return type as OutboundType;
  throw new ApiError(
    'invalidParameter',
    `type must be one of ${OUTBOUND_TYPES.map((t) => JSON.stringify(t)).join(', ')}`,
  );
}
