// PUT /v1/contacts/{wa_id}/identity {"hash"} — acknowledges the customer's latest identity, lifting the block on
// sending to them (docs/api/contacts.md#acknowledge-an-identity; code 1028). The hash must be the latest one: naming an
// older identity is 400 / 1009, an unknown customer 404 / 1006. Acknowledging twice is fine.
import type { FastifyInstance } from 'fastify';
import { emptyEnvelope } from '../../schemas.js';
import type { RouteDeps } from '../deps.js';
import { waIdParams } from './identity-schema.js';

export function registerContactIdentityAcknowledge(app: FastifyInstance, { identities }: RouteDeps): void {
  app.put<{ Params: { wa_id: string }; Body: { hash: string } }>('/v1/contacts/:wa_id/identity', {
    config: { access: 'user' },
    schema: {
      summary: "Acknowledge a customer's new identity",
      description: 'Lifts the block (1028) on sending to that customer; the hash must be the latest one.',
      params: waIdParams,
      body: {
        type: 'object',
        additionalProperties: false,
        required: ['hash'],
        properties: { hash: { type: 'string', minLength: 1, maxLength: 256 } },
      },
      response: { 200: emptyEnvelope },
    },
    handler: async (request) => {
      await identities.acknowledge(request.params.wa_id, request.body.hash);
      return {};
    },
  });
}
