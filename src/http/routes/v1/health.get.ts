// GET /v1/health — the gateway's connection state (reference §7.1). Exempt from rate and concurrency limits.
import type { FastifyInstance } from 'fastify';
import { envelope } from '../../schemas.js';
import type { RouteDeps } from '../deps.js';

export function registerHealthGet(app: FastifyInstance, { gateway }: RouteDeps): void {
  app.get('/v1/health', {
    config: { access: 'user-or-apikey', limit: 'exempt' },
    schema: {
      response: { 200: envelope({ health: { type: 'object', properties: { gateway_status: { type: 'string' } } } }) },
    },
    handler: async () => ({ health: { gateway_status: gateway.status() } }),
  });
}
