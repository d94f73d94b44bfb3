// PUT /v1/messages/{id} {"status":"read"} on the cloud gateway: POST /{PNID}/messages {messaging_product,
// status: "read", message_id} (docs/api/cloud-bridge.md#mark-as-read), after the same checks as on the sandbox
// (404 for an unknown id, 400 for the business's own messages: the inbound half stores every message Meta
// delivers). The local row is marked once Meta took the receipt, so a refusal leaves it unread.
import type { MessagesRepository } from '../../db/repositories/messages.js';
import { ApiError } from '../../errors.js';
import type { Clock } from '../../lib/clock.js';
import type { Inbox } from '../../services/messages/inbox.js';
import type { GraphClient } from './graph-client.js';

export function createCloudInbox(
  local: Inbox,
  deps: { graph: GraphClient; phoneNumberId: string; messages: MessagesRepository; clock: Clock },
): Inbox {
  return {
    ...local,
    async markRead(id: string): Promise<void> {
      const message = await deps.messages.find(id);
      if (!message) throw new ApiError('notFound', `message ${id} not found`);
      if (message.direction !== 'in') {
        throw new ApiError(
          'invalidParameter',
          `message ${id} was sent by the business; only incoming messages can be marked as read`,
        );
      }
      await deps.graph.call({
        method: 'POST',
        path: `/${deps.phoneNumberId}/messages`,
        json: { messaging_product: 'whatsapp', status: 'read', message_id: id },
      });
      await deps.messages.markInboundRead(message, deps.clock.now());
    },
  };
}
