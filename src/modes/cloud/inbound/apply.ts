// What a translated Cloud webhook changes, in the transaction that marks it processed: inbound messages stored
// (id = the wamid, so PUT /v1/messages/{id} marks them read), outbound messages' statuses handed to the domain's
// status path (src/services/messages/statuses.ts), and the On-Prem callbacks written to the outbox in event order.
// The events come here once each (the worker drops those whose dedupe key was recorded before), so each is also
// counted once, after the commit.
import type { Transaction } from 'kysely';
import type { ChangedMessage, MessagesRepository } from '../../../db/repositories/messages.js';
import { enqueueWebhooks } from '../../../db/repositories/webhook-outbox.js';
import type { Database } from '../../../db/schema.js';
import { storeReceived, type InboxDeps } from '../../../services/messages/inbox.js';
import type { MessageCount } from '../../../services/messages/message-metrics.js';
import { recordStatuses, type Callback } from '../../../services/messages/statuses.js';
import type { ApplicationSettings } from '../../../services/settings.js';
import type { InboundEvent } from './translator.js';

export interface ApplyContext {
  settings: ApplicationSettings;
  messages: MessagesRepository;
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
export async function applyInboundEvents(
  trx: Transaction<Database>,
  events: readonly InboundEvent[],
  context: ApplyContext,
): Promise<Applied> {
  const { messages } = context;
  const ids = events.flatMap((e) =>
    e.kind === 'message' ? [e.message.message.id as string] : e.kind === 'status' ? [e.status.messageId] : [],
  );
  const rows = new Map((await messages.findMany([...new Set(ids)], trx)).map((row) => [row.id, row]));
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
      await storeReceived(
        trx,
        {
          id,
          waId: event.waId,
          type: message.type,
          message: message.message,
          contextId: message.contextId,
          at: context.now,
        },
        context,
      );
      callbacks.push({ kind: 'message', payload: event.webhook });
      counts.push({ direction: 'in', type: message.type });
      changed.push({ waId: event.waId, id });
    } else if (event.kind === 'status') {
      // One status at a time: its callback keeps its place among the messages' and errors' of the webhook.
      const recorded = await recordStatuses(trx, rows, [event.status], context);
      callbacks.push(...recorded.callbacks);
      counts.push(...recorded.counts);
      changed.push(...recorded.changed);
    } else {
      callbacks.push({ kind: 'error', payload: event.webhook });
    }
  }
  await enqueueWebhooks(trx, callbacks, context.now);
  return { written: callbacks.length, counts, changed };
}
