// GET / — 200 without authentication for load balancers' health checks; it reveals nothing else.
import type { FastifyInstance } from 'fastify';
import { emptyEnvelope } from '../schemas.js';

export function registerRootGet(app: FastifyInstance): void {
  app.get('/', {
    config: { access: 'public', limit: 'exempt' },
    schema: { response: { 200: emptyEnvelope } },
    handler: async () => ({}),
  });
}
