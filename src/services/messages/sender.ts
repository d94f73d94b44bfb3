// POST /v1/messages behind the route: validate, resolve the recipient, and commit the message with its hand-off
// to the network before answering. Concurrent sends share one transaction per event-loop turn (group commit):
// each request still waits for its own durable commit, but hundreds pay for one fsync instead of one each.
import { classifyDatabaseError } from '../../lib/database-errors.js';
import type { AcceptedMessage, MessageRow, MessagesRepository } from '../../db/repositories/messages.js';
import { ApiError } from '../../errors.js';
import type { Clock } from '../../lib/clock.js';
import { createGroupCommit } from '../../lib/group-commit.js';
import { timeOrderedBytes } from '../../lib/time-ordered-ids.js';
import type { PhoneNumberReader, WaId } from '../../lib/phone.js';
import { validateOutboundMessage, type OutboundMessage } from './outbound.js';
import type { StoredOutbound } from './stored.js';

export interface SendResult {
  messages: [{ id: string }];
  /** Present when `to` was a phone number rather than a wa_id (docs/api/messages.md#send-a-message, v2.39+). */
  contacts?: [{ input: string; wa_id: string }];
}

export interface MessageSenderDeps {
  messages: MessagesRepository;
  /** The ids among `ids` that are not in the media table. */
  missingMedia(ids: readonly string[]): Promise<string[]>;
  phones: PhoneNumberReader;
  clock: Clock;
  businessWaId: string;
  /** A send was committed: the network can take it now. */
  onAccepted(): void;
  /** Refuses a recipient the business may not write to now (1028: identity changed); undefined when it may. */
  checkRecipient?(waId: WaId): Promise<void> | undefined;
}

/**
 * `wamid.` and 30 bytes in URL-safe base64 (46 characters): the creation time (6 bytes) then 24 random bytes, so the
 * id is unguessable and the messages written together sit side by side in the id index (docs/api/messages.md#send-a-message).
 */
export function newMessageId(): string {
  return `wamid.${timeOrderedBytes(24).toString('base64url')}`;
}

/** POST /v1/messages behind the route; the sandbox's (this file) or the cloud gateway's, chosen in node.ts. */
export interface MessageSender {
  send(body: unknown): Promise<SendResult>;
  /** Waits for every send accepted so far to be committed (shutdown). */
  flush(): Promise<void>;
}

/** The recipient's wa_id: 1013 when `to` is no number, 1021 when it is the business itself. */
export function resolveRecipient(
  phones: PhoneNumberReader,
  businessWaId: string,
  to: string,
): { waId: WaId; fromPhoneNumber: boolean } {
  const waId = phones.toWaId(to);
  if (waId === null) throw new ApiError('userNotValid', `to: "${to}" is not a valid WhatsApp ID or phone number`);
  if (waId === businessWaId) throw new ApiError('badUser', 'to: the recipient is the business number itself');
  return { waId, fromPhoneNumber: waId !== to };
}

/** 404 / 1006 naming every media id of the message that was never uploaded. */
export async function checkMediaExists(
  message: OutboundMessage,
  missingMedia: (ids: readonly string[]) => Promise<string[]>,
): Promise<void> {
  if (message.mediaIds.length === 0) return;
  const missing = await missingMedia(message.mediaIds);
  if (missing.length > 0)
    throw new ApiError('notFound', `media ${missing.join(', ')} not found; upload it with POST /v1/media first`);
}

export function createMessageSender(deps: MessageSenderDeps): MessageSender {
  const commits = createGroupCommit<AcceptedMessage>((accepted) => deps.messages.insertAccepted(accepted), {
    splittable: (error) => classifyDatabaseError(error) !== 'unavailable',
  });

  return {
    async send(body: unknown): Promise<SendResult> {
      const message = validateOutboundMessage(body);
      const recipient = resolveRecipient(deps.phones, deps.businessWaId, message.to);
      const refusal = deps.checkRecipient?.(recipient.waId);
      if (refusal) await refusal;
      await checkMediaExists(message, deps.missingMedia);
      const id = newMessageId();
      const now = deps.clock.now();
      await commits.add({
        message: acceptedRow(id, recipient.waId, message, now),
        effect: { message_id: id, kind: 'send', due_at: now },
      });
      deps.onAccepted();
      const result: SendResult = { messages: [{ id }] };
      if (recipient.fromPhoneNumber) result.contacts = [{ input: message.to, wa_id: recipient.waId }];
      return result;
    },
    flush: () => commits.flush(),
  };
}

/** The row of an outbound message the moment it is accepted: what both modes store before answering the send. */
export function acceptedRow(id: string, waId: string, message: OutboundMessage, now: number): MessageRow {
  const stored: StoredOutbound = { message: storedFields(message), template: message.template };
  return {
    id,
    direction: 'out',
    wa_id: waId,
    type: message.type,
    content: JSON.stringify(stored),
    status: 'accepted',
    context_id: message.contextMessageId,
    error_code: null,
    category: null,
    conversation_id: null,
    created_at: now,
    sent_at: null,
    delivered_at: null,
    read_at: null,
    updated_at: now,
  };
}

function storedFields(message: OutboundMessage): Record<string, unknown> {
  const fields: Record<string, unknown> = { type: message.type, [message.type]: message.content };
  if (message.contextMessageId !== null) fields.context = { message_id: message.contextMessageId };
  if (message.previewUrl) fields.preview_url = true;
  if (message.ttlSeconds !== null) fields.ttl = message.ttlSeconds;
  if (message.bizOpaqueCallbackData !== null) fields.biz_opaque_callback_data = message.bizOpaqueCallbackData;
  return fields;
}
