// A virtual customer writes to the business (POST /sandbox/inbound): the body is checked, the sender read in any
// phone format, and the message stored with its On-Prem webhook. It also opens the 24-hour window. A media
// message's file is received here too (see inbound-media.ts).
import { randomUUID } from 'node:crypto';
import { ApiError } from '../../errors.js';
import type { Clock } from '../../lib/clock.js';
import type { PhoneNumberReader } from '../../lib/phone.js';
import type { MessagesRepository } from '../../db/repositories/messages.js';
import type { Inbox } from '../../services/messages/inbox.js';
import { newMessageId } from '../../services/messages/sender.js';
import type { SandboxDirectory } from './directory.js';
import { inboundWebhook, validateSandboxInbound } from './inbound.js';
import { receiveInboundMedia, type InboundMediaDeps } from './inbound-media.js';

export interface CustomerMessagesDeps {
  phones: PhoneNumberReader;
  messages: MessagesRepository;
  directory: SandboxDirectory;
  inbox: Inbox;
  clock: Clock;
  businessWaId: string;
  /** The customer's identity to show on their messages (show_security_notifications on), or null. */
  identityOf?(waId: string): Promise<{ hash: string; created_timestamp: number; acknowledged: boolean } | null>;
  /** Media files, the guarded link fetcher and media.auto_download, for media messages. */
  media: InboundMediaDeps;
}

export function createCustomerMessages({
  phones,
  messages,
  directory,
  inbox,
  clock,
  businessWaId,
  identityOf,
  media,
}: CustomerMessagesDeps) {
  /**
   * With security notifications on, every message of a customer whose identity is known carries it
   * (docs/api/webhooks.md#inbound-messages: `identity` {acknowledged, created_timestamp, hash}); not the change
   * notification itself, which announces the new one.
   */
  async function withIdentity(waId: string, message: Record<string, unknown>): Promise<Record<string, unknown>> {
    if (!identityOf || message.type === 'system') return message;
    const identity = await identityOf(waId);
    if (!identity) return message;
    const { acknowledged, created_timestamp: createdTimestamp, hash } = identity;
    return { ...message, identity: { acknowledged, created_timestamp: createdTimestamp, hash } };
  }

  /** A customer can quote or react to a message of their own chat only. */
  async function checkInChat(messageId: string | null, waId: string, field: string): Promise<void> {
    if (messageId === null) return;
    const quoted = await messages.find(messageId);
    if (!quoted || quoted.wa_id !== waId)
      throw new ApiError('notFound', `${field}: message ${messageId} is not in the chat of ${waId}`);
  }

  return {
    /** Answers the new inbound message's id. */
    async send(body: unknown): Promise<string> {
      const inbound = validateSandboxInbound(body, { businessWaId, newMediaId: randomUUID });
      const waId = phones.toWaId(inbound.fromInput);
      if (waId === null)
        throw new ApiError('invalidParameter', `from: "${inbound.fromInput}" is not a valid phone number`);
      if (waId === businessWaId) throw new ApiError('invalidParameter', 'from: the business cannot write to itself');
      await checkInChat(inbound.quotedMessageId, waId, 'context.id');
      const reaction =
        inbound.type === 'reaction' ? (inbound.message.reaction as { message_id: string }).message_id : null;
      await checkInChat(reaction, waId, 'reaction.message_id');
      const customer = await directory.get(waId);
      if (!customer.on_whatsapp)
        throw new ApiError(
          'invalidParameter',
          `from: ${waId} is not on WhatsApp in the sandbox (PATCH /sandbox/customers/${waId} to change that)`,
        );
      // Last, once everything else is known good: the file is the costly part.
      const file = await receiveInboundMedia(inbound, media);
      const id = newMessageId();
      const at = clock.now();
      const message = await withIdentity(waId, inbound.message);
      const profileName = inbound.profileName ?? customer.name;
      // WhatsApp carries the customer's own profile name on every message: a name given here becomes the customer's,
      // for their later messages and GET /sandbox/customers, as PATCH would set it. Stored before the message, so
      // that a failure in between leaves at most a name that a retry writes again, never an unnamed message.
      if (profileName !== customer.name) await directory.update(waId, { name: profileName });
      const webhook = inboundWebhook({ waId, profileName, id, timestamp: at, message });
      await inbox.receive({
        id,
        waId,
        type: inbound.type,
        message: webhook.messages[0] as Record<string, unknown>,
        contextId: inbound.quotedMessageId,
        webhook,
        at,
        media: file,
      });
      return id;
    },
  };
}

export type CustomerMessages = ReturnType<typeof createCustomerMessages>;
