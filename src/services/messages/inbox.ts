// Messages customers send to the business: received from the network with their webhook in one transaction,
// and marked read by the business (docs/api/webhooks.md#inbound-messages, docs/api/messages.md#mark-a-message-as-read).
import type { Transaction } from 'kysely';
import type { Db } from '../../db/database.js';
import type { Database } from '../../db/schema.js';
import { createMediaRepository, type MediaRepository, type MediaRow } from '../../db/repositories/media.js';
import type { MessagesRepository } from '../../db/repositories/messages.js';
import { enqueueWebhook } from '../../db/repositories/webhook-outbox.js';
import { ApiError } from '../../errors.js';
import type { Clock } from '../../lib/clock.js';
import type { Metrics } from '../../metrics.js';
import { countMessages } from './message-metrics.js';

export interface ReceivedMessage {
  id: string;
  waId: string;
  type: string;
  /** The On-Prem inbound message object, as the webhook carries it. */
  message: Record<string, unknown>;
  contextId: string | null;
  /** The whole webhook payload: {contacts, messages}. */
  webhook: unknown;
  at: number;
  /** The file a media message carries (its bytes already written): its id becomes valid for GET /v1/media and for sending on. */
  media: MediaRow | null;
}

export interface InboxDeps {
  db: Db;
  messages: MessagesRepository;
  clock: Clock;
  metrics: Metrics;
  /** Callbacks were written: the webhook dispatcher can go. */
  onCallbacks(): void;
  /** Records a customer's new identity, in the transaction of the notification that announced it. */
  identities?: { recordChange(trx: Transaction<Database>, waId: string, hash: string, at: number): Promise<void> };
  /** Where the files of received messages are committed (by default, the media table of `db`). */
  media?: MediaRepository;
}

/** What storing a received message writes to, in the caller's transaction. */
export type ReceivedStore = Pick<InboxDeps, 'identities'> & { messages: Pick<MessagesRepository, 'insert'> };

export function createInbox({
  db,
  messages,
  clock,
  metrics,
  onCallbacks,
  identities,
  media = createMediaRepository(db),
}: InboxDeps) {
  return {
    /** Stores an inbound message and its webhook together: a customer's message is never lost nor announced twice. */
    async receive(received: ReceivedMessage): Promise<void> {
      await db.transaction().execute(async (trx) => {
        await storeReceived(trx, received, { messages, identities });
        // The media row commits with its message: a customer's file is announced only once it is stored.
        if (received.media) await media.commit({ ...received.media, created_at: received.at }, trx);
        await enqueueWebhook(trx, 'message', received.webhook, received.at);
      });
      countMessages(metrics, [{ direction: 'in', type: received.type }]);
      messages.committed([{ waId: received.waId, id: received.id }]);
      onCallbacks();
    },

    /** 404 for unknown ids, 400 for the business's own messages; marking twice is fine. */
    async markRead(id: string): Promise<void> {
      const message = await messages.find(id);
      if (!message) throw new ApiError('notFound', `message ${id} not found`);
      if (message.direction !== 'in') {
        throw new ApiError(
          'invalidParameter',
          `message ${id} was sent by the business; only incoming messages can be marked as read`,
        );
      }
      await messages.markInboundRead(message, clock.now());
    },
  };
}

export type Inbox = ReturnType<typeof createInbox>;

/**
 * Stores an inbound message (and the identity change it announces) in the caller's transaction, which also writes
 * its webhook: shared by the sandbox's customers and the cloud gateway's inbound webhooks (whose files are already
 * committed when they are adopted).
 */
export async function storeReceived(
  trx: Transaction<Database>,
  received: Omit<ReceivedMessage, 'webhook' | 'media'>,
  store: ReceivedStore,
): Promise<void> {
  await store.messages.insert(
    {
      id: received.id,
      direction: 'in',
      wa_id: received.waId,
      type: received.type,
      content: JSON.stringify(received.message),
      status: 'received',
      context_id: received.contextId,
      error_code: null,
      category: null,
      conversation_id: null,
      created_at: received.at,
      sent_at: null,
      delivered_at: received.at,
      read_at: null,
      updated_at: received.at,
    },
    trx,
  );
  const identityChange = identityChangeOf(received);
  if (identityChange && store.identities)
    await store.identities.recordChange(trx, identityChange.waId, identityChange.hash, received.at);
}

/**
 * The customer and new identity hash of an identity-change notification (customer_identity_changed, or the older
 * user_identity_changed), else null. `customer` names whom it is about; it defaults to the sender.
 */
function identityChangeOf(received: Pick<ReceivedMessage, 'waId' | 'message'>): { waId: string; hash: string } | null {
  const system = received.message.system as { type?: unknown; identity?: unknown; customer?: unknown } | undefined;
  if (received.message.type !== 'system' || !system) return null;
  if (system.type !== 'customer_identity_changed' && system.type !== 'user_identity_changed') return null;
  if (typeof system.identity !== 'string') return null;
  return { waId: typeof system.customer === 'string' ? system.customer : received.waId, hash: system.identity };
}
