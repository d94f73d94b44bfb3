// A Cloud status (value.statuses[]) as On-Prem's status callback (docs/api/webhooks.md#status-callbacks): Meta's
// own conversation and pricing are carried through (the sandbox computes its own; here Meta's are the truth the
// business is billed by), error codes translated to On-Prem's asynchronous ones.
import type { ReportedStatus } from '../../../services/messages/statuses.js';
import { isObject, pick, stringOf, translateCloudErrors, type DroppedField, type JsonObject } from './objects.js';

/** The statuses On-Prem sent; Cloud's others (none documented today) are not forwarded. */
const FORWARDED = [
  'sent',
  'delivered',
  'read',
  'failed',
  'deleted',
  'warning',
] as const satisfies readonly ReportedStatus['status'][];
type ForwardedStatus = (typeof FORWARDED)[number];

// `type` and `biz_opaque_callback_data` are echoed as the sandbox does (src/services/messages/observed-statuses.ts); `message`
// carries the recipient of a failed status in Meta's later On-Prem documents.
const STATUS_KEYS = [
  'id',
  'status',
  'timestamp',
  'recipient_id',
  'type',
  'biz_opaque_callback_data',
  'conversation',
  'pricing',
  'errors',
];

/** What the domain records (src/services/messages/statuses.ts), with the On-Prem status object it forwards. */
export interface TranslatedStatus extends ReportedStatus {
  status: ForwardedStatus;
  payload: JsonObject;
}

/** null when the status is malformed or of a kind On-Prem never sent. */
export function translateStatus(cloud: JsonObject, dropped: DroppedField): TranslatedStatus | null {
  const id = stringOf(cloud.id);
  const status = stringOf(cloud.status);
  const timestamp = stringOf(cloud.timestamp);
  if (!id || !timestamp || !/^\d{1,12}$/.test(timestamp) || !(FORWARDED as readonly string[]).includes(status ?? ''))
    return null;
  const kept = pick(cloud, STATUS_KEYS, 'status', dropped);
  const payload: JsonObject = { id, recipient_id: kept.recipient_id, status, timestamp, type: 'message' };
  if (typeof kept.biz_opaque_callback_data === 'string')
    payload.biz_opaque_callback_data = kept.biz_opaque_callback_data;
  const conversation = isObject(kept.conversation) ? translateConversation(kept.conversation, dropped) : null;
  if (conversation) payload.conversation = conversation;
  const pricing = isObject(kept.pricing)
    ? pick(kept.pricing, ['billable', 'pricing_model', 'category'], 'status.pricing', dropped)
    : null;
  if (pricing) payload.pricing = pricing;
  const errors = translateCloudErrors(kept.errors);
  if (errors.length > 0) payload.errors = errors;
  return {
    messageId: id,
    status: status as ForwardedStatus,
    at: Number(timestamp) * 1000,
    payload,
    errorCode: status === 'failed' ? (errors[0]?.code ?? 500) : null,
    category: stringOf(pricing?.category) ?? null,
    conversationId: stringOf(conversation?.id) ?? null,
  };
}

function translateConversation(cloud: JsonObject, dropped: DroppedField): JsonObject {
  const conversation = pick(cloud, ['id', 'expiration_timestamp', 'origin'], 'status.conversation', dropped);
  // Cloud sends a string; On-Prem's samples (and the sandbox) an integer.
  const expiry = conversation.expiration_timestamp;
  if (typeof expiry === 'string' && /^\d{1,12}$/.test(expiry)) conversation.expiration_timestamp = Number(expiry);
  if (isObject(conversation.origin))
    conversation.origin = pick(conversation.origin, ['type'], 'status.conversation.origin', dropped);
  return conversation;
}
