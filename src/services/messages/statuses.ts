// The one path that moves an outbound message's status, for both modes: the row moves forward in the caller's
// transaction, and the On-Prem status callbacks to write are answered in the order the changes came. A change is
// either observed (the sandbox IS the network: the callback is built here from the row, and `sent` places the
// message in a priced 24-hour conversation, docs/api/webhooks.md#conversations-and-pricing) or reported (Cloud
// reports statuses: the mode hands over Meta's translated callback and conversation facts,
// docs/api/cloud-bridge.md#statuses).
import type { Transaction } from 'kysely';
import type { ChangedMessage, MessageRow, MessagesRepository } from '../../db/repositories/messages.js';
import type { WebhookKind } from '../../db/repositories/webhook-outbox.js';
import type { Database } from '../../db/schema.js';
import type { ErrorCode } from '../../errors.js';
import { wantsStatusCallback, type ApplicationSettings } from '../settings.js';
import { UNKNOWN_MESSAGE_TYPE, type CountedStatus, type MessageCount } from './message-metrics.js';
import {
  observedConversation,
  observedPayload,
  type ConversationCache,
  type ConversationRepository,
  type ObservedStatus,
  type OutboundStatus,
} from './observed-statuses.js';

export type { ObservedStatus } from './observed-statuses.js';

/** A status a real network reported, with its own callback: its conversation and pricing are what is billed. */
export interface ReportedStatus {
  messageId: string;
  /** `deleted` and `warning` never move a row; they are forwarded all the same. */
  status: CountedStatus;
  /** When it happened (ms). */
  at: number;
  /** The On-Prem status object, forwarded as it is. */
  payload: object;
  /** A failed status's code. */
  errorCode: ErrorCode | null;
  conversationId: string | null;
  /** The pricing category (marketing, utility, …), when the network gave one. */
  category: string | null;
}

export interface Callback {
  kind: WebhookKind;
  payload: unknown;
  /** The message id: one message's status callbacks are delivered in the order they happened. */
  orderingKey?: string;
}

export type StatusRepository = ConversationRepository & Pick<MessagesRepository, 'writeStatuses'>;

export interface StatusContext {
  settings: ApplicationSettings;
  messages: StatusRepository;
}

export interface RecordedStatuses {
  callbacks: Callback[];
  /** To count once the transaction commits. */
  counts: MessageCount[];
  /** To announce once the transaction commits. */
  changed: ChangedMessage[];
}

const RANK: Record<MessageRow['status'], number> = {
  accepted: 0,
  received: 0,
  sent: 1,
  delivered: 2,
  read: 3,
  failed: 4,
};

/** Whether `status` may follow `current`: statuses only move forward, and a message fails only before delivery. */
export function follows(current: MessageRow['status'], status: OutboundStatus): boolean {
  if (status === 'failed') return current === 'accepted' || current === 'sent';
  return current !== 'failed' && RANK[status] > RANK[current];
}

/** One call's transaction, rows, and what it has recorded so far. */
interface Batch {
  trx: Transaction<Database>;
  rows: Map<string, MessageRow>;
  context: StatusContext;
  recorded: RecordedStatuses;
  conversations: ConversationCache;
  /** Messages moved on: written once each, together, when the batch is recorded. */
  moved: Set<string>;
}

/**
 * Applies changes in order to the rows in `rows` (kept current, so several changes to one message in one batch
 * see each other) and answers the callbacks to write, and the changes to count and to announce once the
 * transaction commits.
 */
export async function recordStatuses(
  trx: Transaction<Database>,
  rows: Map<string, MessageRow>,
  changes: readonly (ObservedStatus | ReportedStatus)[],
  context: StatusContext,
): Promise<RecordedStatuses> {
  const batch: Batch = {
    trx,
    rows,
    context,
    recorded: { callbacks: [], counts: [], changed: [] },
    conversations: new Map(),
    moved: new Set(),
  };
  for (const change of changes) {
    const row = rows.get(change.messageId);
    if (isReported(change)) await recordReported(batch, row, change);
    else if (row && moves(row, change.status)) await recordObserved(batch, row, change);
  }
  await context.messages.writeStatuses(
    [...batch.moved].map((id) => rows.get(id)!),
    trx,
  );
  return batch.recorded;
}

/**
 * The simulated network is the truth: a status that does not move its row is no status at all, and is neither
 * counted nor written (`follows` lets each status of a message through once). The callback is built from the row.
 */
async function recordObserved(batch: Batch, row: MessageRow, change: ObservedStatus): Promise<void> {
  const code = change.status === 'failed' ? (change.error?.code ?? 500) : null;
  const conversation = await observedConversation(batch.trx, row, change, batch.context.messages, batch.conversations);
  const opened = change.status === 'sent' && conversation ? { conversation_id: conversation.id } : {};
  const updated = move(batch, row, { ...statusColumns(change.status, change.at, code), ...opened });
  batch.recorded.counts.push({ direction: 'out', status: change.status, type: row.type, code });
  if (wantsCallback(batch.context.settings, change.status))
    batch.recorded.callbacks.push(statusCallback(row.id, observedPayload(updated, change, conversation)));
}

/**
 * A reported status happened whatever the row says, so it is counted and forwarded every time: a `delivered` after
 * `read` (Meta does not promise order; On-Prem said "use timestamp"), `deleted`, `warning`, a status of a wamid
 * OpenPrem never sent (sent before the migration, or by another tool on the number). It moves the row only when
 * it follows.
 */
async function recordReported(batch: Batch, row: MessageRow | undefined, change: ReportedStatus): Promise<void> {
  const { status } = change;
  batch.recorded.counts.push({
    direction: 'out',
    status,
    type: row?.direction === 'out' ? row.type : UNKNOWN_MESSAGE_TYPE,
    code: change.errorCode,
  });
  if (row && isOutbound(status) && moves(row, status)) {
    move(batch, row, {
      ...statusColumns(status, change.at, change.errorCode),
      ...reportedConversation(row, change),
    });
  }
  if (wantsCallback(batch.context.settings, status))
    batch.recorded.callbacks.push(statusCallback(change.messageId, change.payload));
}

const isReported = (change: ObservedStatus | ReportedStatus): change is ReportedStatus => 'payload' in change;

const isOutbound = (status: CountedStatus): status is OutboundStatus => status !== 'deleted' && status !== 'warning';

const moves = (row: MessageRow, status: OutboundStatus) => row.direction === 'out' && follows(row.status, status);

/** The columns every status sets: when it happened, or a failure's code. */
function statusColumns(status: OutboundStatus, at: number, errorCode: ErrorCode | null): Partial<MessageRow> {
  const columns: Partial<MessageRow> = { status, updated_at: at };
  if (status === 'failed') columns.error_code = errorCode ?? 500;
  else columns[`${status}_at`] = at;
  return columns;
}

/** Meta's conversation and category, on a row that has none yet (a failure carries neither). */
function reportedConversation(row: MessageRow, change: ReportedStatus): Partial<MessageRow> {
  if (change.status === 'failed') return {};
  return {
    ...(change.conversationId && !row.conversation_id ? { conversation_id: change.conversationId } : {}),
    ...(change.category && !row.category ? { category: change.category } : {}),
  };
}

/** The row moves on in memory now (later changes of this batch see it) and is written at the end of the batch. */
function move(batch: Batch, row: MessageRow, columns: Partial<MessageRow>): MessageRow {
  const updated = { ...row, ...columns };
  batch.rows.set(row.id, updated);
  batch.moved.add(row.id);
  batch.recorded.changed.push({ waId: row.wa_id, id: row.id });
  return updated;
}

/** The toggles hold as on On-Prem; failed (and Cloud's deleted and warning) always go out. */
function wantsCallback(settings: ApplicationSettings, status: CountedStatus): boolean {
  return status === 'sent' || status === 'delivered' || status === 'read'
    ? wantsStatusCallback(settings, status)
    : true;
}

/** Ordered per message: one message's statuses go out one at a time, in the order they happened. */
function statusCallback(messageId: string, status: object): Callback {
  return { kind: 'status', payload: { statuses: [status] }, orderingKey: messageId };
}
