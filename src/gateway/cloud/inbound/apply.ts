// What a translated Cloud webhook changes, in the transaction that marks it processed: inbound messages stored
// (id = the wamid, so PUT /v1/messages/{id} marks them read), outbound messages' statuses moved forward, and the
// On-Prem callbacks written to the outbox in event order. The events come here once each (the worker drops those
// whose dedupe key was recorded before), so each is also counted once, after the commit.
import type { Transaction } from 'kysely';
import { messageQueries, type ChangedMessage, type MessageRow } from '../../../db/repositories/messages.js';
import { enqueueWebhooks } from '../../../db/repositories/webhook-outbox.js';
import type { Database } from '../../../db/schema.js';
import { storeReceived, type InboxDeps } from '../../../services/messages/inbox.js';
import { UNKNOWN_MESSAGE_TYPE, type MessageCount } from '../../../services/messages/message-metrics.js';
import { follows, type Callback } from '../../../services/messages/statuses.js';
import { wantsStatusCallback, type ApplicationSettings } from '../../../services/settings.js';
import type { TranslatedStatus } from './statuses.js';
import type { InboundEvent } from './translator.js';

export interface ApplyContext {
  settings: ApplicationSettings;
  identities?: InboxDeps['identities'] | undefined;
  now: number;
}

export interface Applied {
  /** Callbacks written. */
  written: number;
  /** To count once the transaction has committed. */
  counts: MessageCount[];
  /** Messages stored or moved on, to announce once the transaction has committed. */
  changed: ChangedMessage[];
}

/** Applies the events; answers how many callbacks were written and what to count. */
export async function applyInboundEvents(trx: Transaction<Database>, events: readonly InboundEvent[], context: ApplyContext): Promise<Applied> {
  const ids = events.flatMap((e) => (e.kind === 'message' ? [e.message.message.id as string] : e.kind === 'status' ? [e.status.id] : []));
  const rows = new Map((await messageQueries.findMany(trx, [...new Set(ids)])).map((row) => [row.id, row]));
  const callbacks: Callback[] = [];
  const counts: MessageCount[] = [];
  const changed: ChangedMessage[] = [];
  for (const event of events) {
    if (event.kind === 'message') {
      const { message } = event;
      const id = message.message.id as string;
      // A row with this id already exists only if its dedupe key was collected: stored once, announced once.
      if (rows.has(id)) continue;
      // Stored as received now, like the sandbox's: Meta's own time stays in the callback's `timestamp`.
      await storeReceived(trx, { id, waId: event.waId, type: message.type, message: message.message, contextId: message.contextId, at: context.now, media: null }, context.identities);
      callbacks.push({ kind: 'message', payload: event.webhook });
      counts.push({ direction: 'in', type: message.type });
      changed.push({ waId: event.waId, id });
    } else if (event.kind === 'status') {
      counts.push(statusCount(rows.get(event.status.id), event.status));
      const row = await recordStatus(trx, rows, event.status);
      if (row) changed.push({ waId: row.wa_id, id: row.id });
      if (wantsCallback(context.settings, event.status)) {
        // Ordered per message like the sandbox's: one wamid's statuses go out one at a time, in arrival order.
        callbacks.push({ kind: 'status', payload: { statuses: [event.status.payload] }, orderingKey: event.status.id });
      }
    } else {
      callbacks.push({ kind: 'error', payload: event.webhook });
    }
  }
  await enqueueWebhooks(trx, callbacks, context.now);
  return { written: callbacks.length, counts, changed };
}

/**
 * Every status Meta reported, once per message and status (its dedupe key), even one that arrives after a later
 * status (a `delivered` after `read`) and so leaves the row as it is: the message was delivered all the same.
 */
function statusCount(row: MessageRow | undefined, status: TranslatedStatus): MessageCount {
  const type = row && row.direction === 'out' ? row.type : UNKNOWN_MESSAGE_TYPE;
  return { direction: 'out', status: status.status, type, code: status.errorCode };
}

/** The toggles hold as on On-Prem; failed, deleted and warning always go out (docs/api/cloud-bridge.md#statuses). */
function wantsCallback(settings: ApplicationSettings, status: TranslatedStatus): boolean {
  const { status: kind } = status;
  return kind === 'sent' || kind === 'delivered' || kind === 'read' ? wantsStatusCallback(settings, kind) : true;
}

/**
 * Moves the business's message forward (answers its row, null when unchanged); a status for a wamid OpenPrem never sent (sent before the migration, or by
 * another tool on the number) changes no row but is still forwarded. Meta does not promise order: a `delivered`
 * after `read` is forwarded (On-Prem said "use timestamp") and leaves the row at `read`.
 */
async function recordStatus(trx: Transaction<Database>, rows: Map<string, MessageRow>, status: TranslatedStatus): Promise<MessageRow | null> {
  const row = rows.get(status.id);
  if (!row || row.direction !== 'out' || status.status === 'deleted' || status.status === 'warning') return null;
  if (!follows(row.status, status.status)) return null;
  const changes: Partial<MessageRow> = { status: status.status, updated_at: status.at };
  if (status.status === 'failed') changes.error_code = status.errorCode;
  else {
    changes[`${status.status}_at`] = status.at;
    if (status.conversationId && !row.conversation_id) changes.conversation_id = status.conversationId;
    if (status.category && !row.category) changes.category = status.category;
  }
  await messageQueries.updateMessage(trx, row.id, changes);
  rows.set(row.id, { ...row, ...changes });
  return row;
}
