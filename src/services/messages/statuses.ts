// Status changes of outbound messages, as any gateway reports them: each updates the message row and, when the
// settings ask for it, writes the On-Prem status callback in the same transaction. `sent` also places the message
// in a priced 24-hour conversation, as conversation-based pricing did
// (docs/api/webhooks.md#conversations-and-pricing).
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { messageQueries, type ChangedMessage, type MessageRow } from '../../db/repositories/messages.js';
import type { WebhookKind } from '../../db/repositories/webhook-outbox.js';
import type { Database } from '../../db/schema.js';
import { ERROR_TITLES, type ErrorCode } from '../../errors.js';
import { wantsStatusCallback, type ApplicationSettings } from '../settings.js';
import type { MessageCount } from './message-metrics.js';
import { readStoredOutbound } from './stored.js';

export type OutboundStatus = 'sent' | 'delivered' | 'read' | 'failed';

export interface StatusChange {
  messageId: string;
  status: OutboundStatus;
  /** When it happened on the network (ms). */
  at: number;
  error?: { code: ErrorCode; details?: string };
}

export interface Callback {
  kind: WebhookKind;
  payload: unknown;
  /** The message id: one message's status callbacks are delivered in the order they happened. */
  orderingKey?: string;
}

const CONVERSATION_MS = 24 * 60 * 60 * 1000;
const RANK: Record<MessageRow['status'], number> = { accepted: 0, received: 0, sent: 1, delivered: 2, read: 3, failed: 4 };

/** Whether `status` may follow `current`: statuses only move forward, and a message fails only before delivery. */
export function follows(current: MessageRow['status'], status: OutboundStatus): boolean {
  if (status === 'failed') return current === 'accepted' || current === 'sent';
  return current !== 'failed' && RANK[status] > RANK[current];
}

/**
 * Applies changes in order to the rows in `rows` (kept current, so several changes to one message in one batch
 * see each other) and answers the callbacks to write, and the changes to count and to announce once the
 * transaction commits (`follows` lets each status of a message through once).
 */
export async function recordStatuses(
  trx: Kysely<Database>,
  rows: Map<string, MessageRow>,
  changes: readonly StatusChange[],
  settings: ApplicationSettings,
): Promise<{ callbacks: Callback[]; counts: MessageCount[]; changed: ChangedMessage[] }> {
  const callbacks: Callback[] = [];
  const counts: MessageCount[] = [];
  const changed: ChangedMessage[] = [];
  const conversations: ConversationCache = new Map();
  for (const change of changes) {
    const row = rows.get(change.messageId);
    if (!row || row.direction !== 'out' || !follows(row.status, change.status)) continue;
    const updated = await applyChange(trx, row, change, conversations);
    rows.set(row.id, updated.row);
    changed.push({ waId: row.wa_id, id: row.id });
    counts.push({ direction: 'out', status: change.status, type: row.type, code: change.status === 'failed' ? (change.error?.code ?? 500) : null });
    if (change.status === 'failed' || wantsStatusCallback(settings, change.status)) {
      callbacks.push({ kind: 'status', payload: { statuses: [statusPayload(updated.row, change, updated.conversation)] }, orderingKey: row.id });
    }
  }
  return { callbacks, counts, changed };
}

interface ConversationView {
  id: string;
  category: string;
  /** Set only on the statuses of the message that opened the conversation (seconds). */
  expiresAt: number | null;
}

/** Conversations read or opened during one batch, by id and by `wa_id|category`: a batch of statuses to one
 * customer reads its conversation once. */
type ConversationCache = Map<string, Database['conversations']>;

async function applyChange(trx: Kysely<Database>, row: MessageRow, change: StatusChange, cache: ConversationCache) {
  const changes: Partial<MessageRow> = { status: change.status, updated_at: change.at };
  let conversation: ConversationView | null = null;
  if (change.status === 'sent') {
    conversation = await conversationFor(trx, row, change.at, cache);
    Object.assign(changes, { sent_at: change.at, conversation_id: conversation.id });
  } else if (change.status === 'delivered') {
    changes.delivered_at = change.at;
    conversation = await existingConversation(trx, row, cache);
  } else if (change.status === 'read') {
    changes.read_at = change.at;
  } else {
    changes.error_code = change.error?.code ?? 500;
  }
  await messageQueries.updateMessage(trx, row.id, changes);
  return { row: { ...row, ...changes }, conversation };
}

/** The open conversation of the message's category, or a new one opened by this message. */
async function conversationFor(trx: Kysely<Database>, row: MessageRow, at: number, cache: ConversationCache): Promise<ConversationView> {
  const category = row.category ?? 'service';
  const key = `${row.wa_id}|${category}`;
  const cached = cache.get(key);
  const open = cached && Number(cached.expires_at) > at ? cached : await messageQueries.openConversation(trx, row.wa_id, category, at);
  if (open) {
    cache.set(key, open);
    return { id: open.id, category, expiresAt: null };
  }
  const opened = { id: randomBytes(16).toString('hex'), wa_id: row.wa_id, category, opened_at: at, expires_at: at + CONVERSATION_MS };
  await messageQueries.openNewConversation(trx, opened);
  cache.set(key, opened).set(opened.id, opened);
  return { id: opened.id, category, expiresAt: Math.floor(opened.expires_at / 1000) };
}

async function existingConversation(trx: Kysely<Database>, row: MessageRow, cache: ConversationCache): Promise<ConversationView | null> {
  if (!row.conversation_id) return null;
  let conversation = cache.get(row.conversation_id);
  if (!conversation) {
    conversation = await trx.selectFrom('conversations').selectAll().where('id', '=', row.conversation_id).executeTakeFirst();
    if (conversation) cache.set(conversation.id, conversation);
  }
  if (!conversation) return null;
  const openedByThis = row.sent_at !== null && Number(conversation.opened_at) === Number(row.sent_at);
  return { id: conversation.id, category: conversation.category, expiresAt: openedByThis ? Math.floor(Number(conversation.expires_at) / 1000) : null };
}

function statusPayload(row: MessageRow, change: StatusChange, conversation: ConversationView | null) {
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
    status.errors = [{ code, title: ERROR_TITLES[code], ...(change.error?.details ? { details: change.error.details } : {}) }];
  }
  return status;
}
