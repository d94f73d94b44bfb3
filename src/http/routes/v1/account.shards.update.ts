// POST /v1/account/shards — sets the shard count of the registered number
// (docs/api/account-and-registration.md#set-the-shard-count): 1, 2, 4, 8, 16 or 32. Answers 200, as every success
// docs/api/README.md#success-statuses does not list. The count is stored and reported; what it changes in routing
// and in health's multi-node shape is a later issue.
import type { FastifyInstance } from 'fastify';
import { unwrap } from '../../../lib/result.js';
import type { SetShardsBody } from '../../../services/account.js';
import { emptyEnvelope } from '../../schemas.js';
import type { RouteDeps } from '../deps.js';

const text = { type: 'string' } as const;

export function registerAccountShardsUpdate(app: FastifyInstance, { account }: RouteDeps): void {
  app.post<{ Body: SetShardsBody }>('/v1/account/shards', {
    config: { access: 'admin', needsRegistration: true, audit: { event: 'shards changed', values: ['shards'] } },
    schema: {
      summary: 'Set the shard count',
      description: '1, 2, 4, 8, 16 or 32.',
      body: {
        type: 'object',
        additionalProperties: false,
        required: ['cc', 'phone_number', 'shards'],
        // `shards` is an integer or a numeric string; the service checks the value and names both forms.
        properties: { cc: text, phone_number: text, shards: {}, pin: text, cert: text },
      },
      response: { 200: emptyEnvelope },
    },
    handler: async (request) => {
      unwrap(await account.setShards(request.body));
      return {};
    },
  });
}
