// POST /sandbox/inbound, the domain half: a virtual customer's message (docs/api/sandbox.md#a-customer-writes: an
// inbound message object as docs/api/webhooks.md#inbound-messages describes it, without id and timestamp, plus the
// sender's profile) is validated completely and turned into the On-Prem inbound message object, and later into the
// webhook payload. Pure: the route reads the sender's number, stores the message and writes the webhook.
//
// Errors are thrown as ApiError (1008 missing, 1009 wrong type or value, 1010 not accepted; details = JSON path and
// what was expected): the nesting is deep, and a Result at every level would only be unwrapped at the next one.
import { ApiError, ERROR_TITLES } from '../../errors.js';
import { INBOUND_TYPES, type InboundType } from '../../services/messages/inbound-types.js';
import { readContactCards } from './inbound/contacts.js';
import {
  has,
  field,
  invalid,
  isObject,
  missing,
  readObject,
  requiredEnum,
  requiredString,
  type JsonObject,
} from './inbound/fields.js';
import { isMediaType, readMedia, type InboundMediaSource } from './inbound/media.js';
import { readButton, readInteractive, readLocation, readReaction, readText } from './inbound/payloads.js';
import { completeSystemMessage, readSystem } from './inbound/system.js';

export { completeSystemMessage } from './inbound/system.js';

export interface SandboxInbound {
  /** `from` as given: any phone number format; the caller reads it into a wa_id. */
  fromInput: string;
  /** profile.name, or null when the request has no profile (the caller defaults it). */
  profileName: string | null;
  type: InboundType;
  /** The On-Prem inbound message object without from/id/timestamp: { type, <type>: {...}, context?: {from, id} }. */
  message: Record<string, unknown>;
  /** context.id: the business message quoted (the caller checks it exists). */
  quotedMessageId: string | null;
  /** The id given to a media message's file (`message[type].id`), null for other types. */
  mediaId: string | null;
  /** Where a media message's bytes come from (base64 data or a link); null when it only describes a file. */
  mediaSource: InboundMediaSource | null;
}

export interface SandboxInboundOptions {
  /** The business number: the `from` of the quoted message in `context`. */
  businessWaId: string;
  newMediaId(): string;
}

/** The profile name limit of PATCH /sandbox/customers, so that both ways of naming a customer agree. */
const PROFILE_NAME_MAX = 256;
const FROM_MAX = 64;

/**
 * 501 Unknown message type, exactly as On-Prem wrote it for a message it could not show
 * (docs/api/webhooks.md#inbound-messages).
 */
const UNKNOWN_ERRORS = [{ code: 501, title: ERROR_TITLES[501], details: 'Message type is not currently supported' }];

export function validateSandboxInbound(body: unknown, options: SandboxInboundOptions): SandboxInbound {
  if (body === undefined || body === null) throw new ApiError('missingParameter', 'the request needs a JSON body');
  if (!isObject(body)) throw invalid('', 'a JSON object');
  const type = requiredEnum(body, '', 'type', INBOUND_TYPES);
  readObject(body, '', ['from', 'profile', 'type', 'context', ...(type === 'unknown' ? [] : [type])], (key) =>
    refusal(type, key),
  );
  const fromInput = requiredString(body, '', 'from', { max: FROM_MAX });
  const profileName = has(body, 'profile') ? readProfile(field(body, 'profile')) : null;
  const quotedMessageId = readContext(body, type);
  const message: JsonObject = { type };
  let mediaSource: InboundMediaSource | null = null;
  if (type === 'unknown') message.errors = UNKNOWN_ERRORS.map((error) => ({ ...error }));
  else if (!has(body, type)) throw missing(type);
  else if (isMediaType(type)) {
    const media = readMedia(type, field(body, type), () => options.newMediaId());
    message[type] = media.object;
    mediaSource = media.source;
  } else message[type] = readPayload(type, field(body, type));
  if (quotedMessageId !== null) message.context = { from: options.businessWaId, id: quotedMessageId };
  const mediaId = isMediaType(type) ? ((message[type] as JsonObject).id as string) : null;
  return { fromInput, profileName, type, message, quotedMessageId, mediaId, mediaSource };
}

function readPayload(
  type: Exclude<InboundType, 'unknown' | 'image' | 'audio' | 'voice' | 'video' | 'document' | 'sticker'>,
  value: unknown,
): unknown {
  switch (type) {
    case 'text':
      return readText(value);
    case 'location':
      return readLocation(value);
    case 'contacts':
      return readContactCards(value, 'contacts');
    case 'button':
      return readButton(value);
    case 'interactive':
      return readInteractive(value);
    case 'reaction':
      return readReaction(value);
    case 'system':
      return readSystem(value);
  }
}

function readProfile(value: unknown): string {
  const profile = readObject(value, 'profile', ['name']);
  return requiredString(profile, 'profile', 'name', { max: PROFILE_NAME_MAX });
}

function readContext(body: JsonObject, type: InboundType): string | null {
  if (!has(body, 'context')) {
    // A template's quick-reply button only exists on a business message: the tap always answers one.
    if (type === 'button') throw missing('context', 'a quick-reply button tap answers a business message (context.id)');
    return null;
  }
  const context = readObject(field(body, 'context'), 'context', ['id'], (key) =>
    key === 'from' ? "the quoted message is the business's; give only its id" : undefined,
  );
  return requiredString(context, 'context', 'id');
}

function refusal(type: InboundType, key: string): string | undefined {
  if (key === 'id' || key === 'timestamp') return 'the sandbox assigns it';
  if (type === 'unknown' && key === 'errors') return 'the sandbox writes the 501 error of an unknown message';
  if (!(INBOUND_TYPES as readonly string[]).includes(key)) return undefined;
  return type === 'unknown' ? 'an unknown message has no content' : `the message's type is ${type}`;
}

export interface InboundWebhookInput {
  /** The sender's wa_id. */
  waId: string;
  profileName: string;
  /** The inbound message id. */
  id: string;
  /** When the message arrived, in milliseconds. */
  timestamp: number;
  /** SandboxInbound.message, as validated (and perhaps stored and read back). */
  message: Record<string, unknown>;
}

export interface InboundWebhookPayload {
  contacts: [{ profile: { name: string }; wa_id: string }];
  messages: [{ from: string; id: string; timestamp: string } & Record<string, unknown>];
}

/** One inbound message's On-Prem webhook payload, keys in WhatsApp's order (docs/api/webhooks.md#inbound-messages). */
export function inboundWebhook(input: InboundWebhookInput): InboundWebhookPayload {
  const message = completeSystemMessage(input.message, input);
  return {
    contacts: [{ profile: { name: input.profileName }, wa_id: input.waId }],
    // Unix seconds as a string, as On-Prem sent them.
    messages: [{ from: input.waId, id: input.id, timestamp: String(Math.floor(input.timestamp / 1000)), ...message }],
  };
}
