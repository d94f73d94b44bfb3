// What a status the simulated network observed carries: the sandbox is the network, so it prices its own
// conversations (a `sent` opens one, or joins the open one of its category, as conversation-based pricing did:
// docs/api/webhooks.md#conversations-and-pricing) and builds On-Prem's status object from the message row.
import { randomBytes } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { ConversationRow, MessageRow, MessagesRepository } from '../../db/repositories/messages.js';
import type { Database } from '../../db/schema.js';
import { ERROR_TITLES, type ErrorCode } from '../../errors.js';
import { readStoredOutbound } from './stored.js';

export type OutboundStatus = 'sent' | 'delivered' | 'read' | 'failed';

/** A status the simulated network observed. */
export interface ObservedStatus {
  messageId: string;
  status: OutboundStatus;
  /** When it happened on the network (ms). */
  at: number;
  error?: { code: ErrorCode; details?: string };
}

export type ConversationRepository = Pick<
  MessagesRepository,
  'conversation' | 'openConversation' | 'openNewConversation'
>;

const CONVERSATION_MS = 24 * 60 * 60 * 1000;

interface ConversationView {
  id: string;
  category: string;
  /** Set only on the statuses of the message that opened the conversation (seconds). */
  expiresAt: number | null;
}

/** Conversations read or opened during one batch, by id and by `wa_id|category`: a batch of statuses to one
 * customer reads its conversation once. */
export type ConversationCache = Map<string, ConversationRow>;

/** The conversation a status shows: `sent` opens or joins one, `delivered` shows it again, the others none. */
export function observedConversation(
  trx: Transaction<Database>,
  row: MessageRow,
  change: ObservedStatus,
  messages: ConversationRepository,
  cache: ConversationCache,
): Promise<ConversationView | null> {
  if (change.status === 'sent') return conversationFor(trx, row, change.at, messages, cache);
  if (change.status === 'delivered') return existingConversation(trx, row, messages, cache);
  return Promise.resolve(null);
}

/** The open conversation of the message's category, or a new one opened by this message. */
async function conversationFor(
  trx: Transaction<Database>,
  row: MessageRow,
  at: number,
  messages: ConversationRepository,
  cache: ConversationCache,
): Promise<ConversationView> {
  const category = row.category ?? 'service';
  const key = `${row.wa_id}|${category}`;
  const cached = cache.get(key);
  const open =
    cached && Number(cached.expires_at) > at ? cached : await messages.openConversation(row.wa_id, category, at, trx);
  if (open) {
    cache.set(key, open);
    return { id: open.id, category, expiresAt: null };
  }
  const opened = {
    id: randomBytes(16).toString('hex'),
    wa_id: row.wa_id,
    category,
    opened_at: at,
    expires_at: at + CONVERSATION_MS,
  };
  await messages.openNewConversation(opened, trx);
  cache.set(key, opened).set(opened.id, opened);
  return { id: opened.id, category, expiresAt: Math.floor(opened.expires_at / 1000) };
}

async function existingConversation(
  trx: Transaction<Database>,
  row: MessageRow,
  messages: ConversationRepository,
  cache: ConversationCache,
): Promise<ConversationView | null> {
  if (!row.conversation_id) return null;
  let conversation = cache.get(row.conversation_id);
  if (!conversation) {
    conversation = await messages.conversation(row.conversation_id, trx);
    if (conversation) cache.set(conversation.id, conversation);
  }
  if (!conversation) return null;
  const openedByThis = row.sent_at !== null && Number(conversation.opened_at) === Number(row.sent_at);
  return {
    id: conversation.id,
    category: conversation.category,
    expiresAt: openedByThis ? Math.floor(Number(conversation.expires_at) / 1000) : null,
  };
}

/** On-Prem's status object (docs/api/webhooks.md#status-callbacks) for the row as the change left it. */
export function observedPayload(
  row: MessageRow,
  change: ObservedStatus,
  conversation: ConversationView | null,
): Record<string, unknown> {
  const status: Record<string, unknown> = {
    id: row.id,
    recipient_id: row.wa_id,
    status: change.status,
    timestamp: String(Math.floor(change.at / 1000)),
    type: 'message',
  };
  // Echoed on every status, as the late On-Prem and Cloud APIs did, so integrations can correlate their own ids.
  // Up to three statuses per message: the stored JSON is parsed only for the few messages that carry the field.
  if (row.content.includes('"biz_opaque_callback_data"')) {
    const callbackData = readStoredOutbound(row.content).message.biz_opaque_callback_data;
    if (typeof callbackData === 'string') status.biz_opaque_callback_data = callbackData;
  }
  if (conversation) {
    status.conversation = {
      id: conversation.id,
      ...(conversation.expiresAt !== null ? { expiration_timestamp: conversation.expiresAt } : {}),
      origin: { type: conversation.category },
    };
    status.pricing = { billable: true, pricing_model: 'CBP', category: conversation.category };
  }
  if (change.status === 'failed') {
    const code = change.error?.code ?? 500;
    status.errors = [
      { code, title: ERROR_TITLES[code], ...(change.error?.details ? { details: change.error.details } : {}) },
    ];
  }
  return status;
}
