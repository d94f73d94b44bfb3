// GET /sandbox/customers/{wa_id}/messages/{message_id}/media — the file of a media message as the customer got it
// (or sent it), streamed with its Content-Type. Errors are in the envelope: this is a sandbox control, not /v1.
import type { FastifyInstance } from 'fastify';
import type { CustomerMedia } from '../../../modes/sandbox/customer-media.js';
import { MEDIA_CONTENT_TYPES } from '../v1/media-schema.js';
import type { RouteDeps } from '../deps.js';
import { customerWaId } from './customer-schema.js';

const params = {
  type: 'object',
  required: ['wa_id', 'message_id'],
  properties: {
    wa_id: { type: 'string', minLength: 1, maxLength: 64 },
    message_id: { type: 'string', minLength: 1, maxLength: 128 },
  },
} as const;

export function registerSandboxCustomerMessageMedia(
  app: FastifyInstance,
  { phones }: RouteDeps,
  media: CustomerMedia,
): void {
  app.get<{ Params: { wa_id: string; message_id: string } }>('/sandbox/customers/:wa_id/messages/:message_id/media', {
    config: { access: 'admin', limit: 'exempt', apiStatus: 'experimental' },
    schema: {
      summary: 'Download the file of a media message in a conversation',
      produces: MEDIA_CONTENT_TYPES,
      params,
    },
    handler: async (request, reply) => {
      const file = await media.open(customerWaId(phones, request.params.wa_id), request.params.message_id);
      reply.type(file.contentType).header('x-content-type-options', 'nosniff');
      if (file.size !== null) reply.header('content-length', file.size);
      return reply.send(file.stream);
    },
  });
}
