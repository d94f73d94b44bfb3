// GET /v1/stats/app — this node's application figures in the On-Prem shape (docs/api/health-and-metrics.md#stats).
import type { FastifyInstance } from 'fastify';
import { renderPrometheusText } from '../../../lib/metric-format.js';
import { envelope } from '../../schemas.js';
import type { RouteDeps } from '../deps.js';
import { formatQuerySchema } from './metrics.get.js';

export const statsResponse = (section: 'app' | 'db') =>
  envelope({ stats: { type: 'object', properties: { [section]: { type: 'object', additionalProperties: true } } } });

export function registerStatsApp(app: FastifyInstance, { stats, node }: RouteDeps): void {
  app.get<{ Querystring: { format?: 'json' | 'prometheus' } }>('/v1/stats/app', {
    config: { access: 'user-or-apikey' },
    schema: {
      summary: "Get this node's application stats",
      description: '`?format=prometheus` answers the Prometheus text exposition format.',
      produces: ['text/plain'],
      querystring: formatQuerySchema,
      response: { 200: statsResponse('app') },
    },
    handler: async (request, reply) => {
      const families = await stats.app();
      if (request.query.format === 'prometheus')
        return reply.type('text/plain; version=0.0.4').send(renderPrometheusText(families));
      return { stats: { app: { [node.key]: families } } };
    },
  });
}
