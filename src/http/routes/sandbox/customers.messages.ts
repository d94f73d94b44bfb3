// GET /sandbox/customers/{wa_id}/messages — the conversation as the customer sees it, oldest first: what the
// business sent and how far it got, what the customer wrote and whether the business read it.
import type { FastifyInstance } from 'fastify';
import { envelope } from '../../schemas.js';
import { presentMessage, sandboxMediaUrl } from '../../views/message-view.js';
import type { SandboxRoutes } from '../../../modes/mode.js';
import type { RouteDeps } from '../deps.js';
import { customerParams, customerWaId } from './customer-schema.js';

// The newest 1,000 would need paging; a sandbox conversation under test is far shorter (the console pages with
// GET /x/v1/conversations/{wa_id}/messages).
const MAX_MESSAGES = 1000;

export function registerSandboxCustomerMessages(
  app: FastifyInstance,
  { phones }: RouteDeps,
  sandbox: SandboxRoutes,
): void {
  app.get<{ Params: { wa_id: string } }>('/sandbox/customers/:wa_id/messages', {
    config: { access: 'admin', limit: 'exempt', apiStatus: 'experimental' },
    schema: {
      summary: 'Get the conversation as the customer sees it',
      description: 'Oldest first, each message with its direction, type, content, status and timestamps.',
      params: customerParams,
      response: {
        200: envelope({ messages: { type: 'array', items: { type: 'object', additionalProperties: true } } }),
      },
    },
    handler: async (request) => {
      const waId = customerWaId(phones, request.params.wa_id);
      return {
        messages: (await sandbox.conversationOf(waId, MAX_MESSAGES)).map((row) => presentMessage(row, sandboxMediaUrl)),
      };
    },
  });
}
