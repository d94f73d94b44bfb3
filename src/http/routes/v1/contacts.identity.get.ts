// GET /v1/contacts/{wa_id}/identity — the customer's latest identity (docs/api/contacts.md#read-a-customers-identity).
// Meta's documented answer is a `contacts` object {hash, created_timestamp (milliseconds), acknowledged}; the older
// form `identity: [{identity_key_hashed, created_timestamp}]` is answered beside it, so clients of either read what
// they expect. 404 / 1006 until an identity change was recorded for that customer.
import type { FastifyInstance } from 'fastify';
import { envelope } from '../../schemas.js';
import type { RouteDeps } from '../deps.js';
import { waIdParams } from './identity-schema.js';

const identityResponse = envelope({
  contacts: {
    type: 'object',
    properties: { hash: { type: 'string' }, created_timestamp: { type: 'integer' }, acknowledged: { type: 'boolean' } },
  },
  identity: {
    type: 'array',
    items: {
      type: 'object',
      properties: { identity_key_hashed: { type: 'string' }, created_timestamp: { type: 'integer' } },
    },
  },
});

export function registerContactIdentityGet(app: FastifyInstance, { identities }: RouteDeps): void {
  app.get<{ Params: { wa_id: string } }>('/v1/contacts/:wa_id/identity', {
    config: { access: 'user' },
    schema: {
      summary: "Get a customer's latest identity",
      description: '404 / 1006 until an identity change was recorded for that customer.',
      params: waIdParams,
      response: { 200: identityResponse },
    },
    handler: async (request) => {
      const identity = await identities.get(request.params.wa_id);
      return {
        contacts: identity,
        identity: [{ identity_key_hashed: identity.hash, created_timestamp: identity.created_timestamp }],
      };
    },
  });
}
