// PUT /v1/messages/{message-id} — marks an incoming message as read (docs/api/messages.md#mark-a-message-as-read); the
// customer sees blue ticks.
import type { FastifyInstance } from 'fastify';
import { emptyEnvelope } from '../../schemas.js';
import type { RouteDeps } from '../deps.js';

export function registerMessagesMarkRead(app: FastifyInstance, { messages }: RouteDeps): void {
  app.put<{ Params: { id: string }; Body: { status: 'read' } }>('/v1/messages/:id', {
    config: { access: 'user', needsRegistration: true },
    schema: {
      summary: 'Mark an incoming message as read',
      params: {
        type: 'object',
        required: ['id'],
        properties: { id: { type: 'string', minLength: 1, maxLength: 128 } },
      },
      body: {
        type: 'object',
        additionalProperties: false,
        required: ['status'],
        properties: { status: { type: 'string', enum: ['read'] } },
      },
      response: { 200: emptyEnvelope },
    },
    handler: async (request) => {
      await messages.inbox.markRead(request.params.id);
      return {};
    },
  });
}
