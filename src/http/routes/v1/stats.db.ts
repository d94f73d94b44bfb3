// GET /v1/stats/db — figures counted in the database (docs/api/health-and-metrics.md#stats).
import type { FastifyInstance } from 'fastify';
import { renderPrometheusText } from '../../../lib/metric-format.js';
import type { RouteDeps } from '../deps.js';
import { formatQuerySchema } from './metrics.get.js';
import { statsResponse } from './stats.app.js';

export function registerStatsDb(app: FastifyInstance, { stats, node }: RouteDeps): void {
  app.get<{ Querystring: { format?: 'json' | 'prometheus' } }>('/v1/stats/db', {
    config: { access: 'user-or-apikey' },
    schema: {
      summary: 'Get the stats counted in the database',
      description: '`?format=prometheus` answers the Prometheus text exposition format.',
      produces: ['text/plain'],
      querystring: formatQuerySchema,
      response: { 200: statsResponse('db') },
    },
    handler: async (request, reply) => {
      const families = await stats.db();
      if (request.query.format === 'prometheus')
        return reply.type('text/plain; version=0.0.4').send(renderPrometheusText(families));
      return { stats: { db: { [node.key]: families } } };
    },
  });
}
