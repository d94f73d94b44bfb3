// GET /v1/account/shards — the stored shard count, in the old API's shape {"account":{"shards":n}}
// (docs/api/account-and-registration.md#read-the-shard-count).
import type { FastifyInstance } from 'fastify';
import { envelope } from '../../schemas.js';
import type { RouteDeps } from '../deps.js';

export function registerAccountShardsGet(app: FastifyInstance, { account }: RouteDeps): void {
  app.get('/v1/account/shards', {
    config: { access: 'admin' },
    schema: {
      summary: 'Get the shard count',
      response: { 200: envelope({ account: { type: 'object', properties: { shards: { type: 'integer' } } } }) },
    },
    handler: async () => ({ account: { shards: await account.shards() } }),
  });
}
