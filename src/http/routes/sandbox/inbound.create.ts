// POST /sandbox/inbound — a virtual customer sends a message to the business (docs/api/sandbox.md#a-customer-writes).
import type { FastifyInstance } from 'fastify';
import type { CustomerMessages } from '../../../modes/sandbox/customer-messages.js';
import { envelope } from '../../schemas.js';

// A 16 MB audio or video file in base64 (21.4 MB) with room for the rest of the body; larger documents come by
// `link`, which streams.
const INBOUND_BODY_LIMIT = 23 * 1024 * 1024;

export function registerSandboxInboundCreate(app: FastifyInstance, customers: CustomerMessages): void {
  app.post('/sandbox/inbound', {
    config: { access: 'admin', limit: 'exempt', apiStatus: 'experimental', needsRegistration: true },
    bodyLimit: INBOUND_BODY_LIMIT,
    schema: {
      summary: 'Make a virtual customer send a message',
      description:
        "An inbound message of the old API without id and timestamp, plus the sender's profile; the webhook receives it as the old API delivered it.",
      // Every inbound type has its own shape; the domain validator checks the whole body with the API's codes.
      body: { type: 'object' },
      response: {
        201: envelope({
          messages: { type: 'array', items: { type: 'object', properties: { id: { type: 'string' } } } },
        }),
      },
    },
    handler: async (request, reply) => {
      reply.code(201);
      return { messages: [{ id: await customers.send(request.body) }] };
    },
  });
}
