// GET /metrics and GET /v1/metrics — the node's metrics, JSON by default, Prometheus text with
// ?format=prometheus (docs/api/health-and-metrics.md#metrics). Exempt from rate and concurrency limits.
import type { FastifyInstance } from 'fastify';
import { familiesFromPromJson } from '../../../lib/metric-format.js';
import { envelope } from '../../schemas.js';
import type { RouteDeps } from '../deps.js';

export const formatQuerySchema = {
  type: 'object',
  properties: { format: { type: 'string', enum: ['json', 'prometheus'] } },
} as const;

const freeFormObject = { type: 'object', additionalProperties: true } as const;

export function registerMetricsGet(app: FastifyInstance, { metrics }: RouteDeps): void {
  for (const url of ['/metrics', '/v1/metrics']) {
    app.get<{ Querystring: { format?: 'json' | 'prometheus' } }>(url, {
      config: { access: 'user-or-apikey', limit: 'exempt' },
      schema: {
        summary: 'Get the node metrics (JSON, or Prometheus text)',
        description: '`?format=prometheus` answers the Prometheus text exposition format.',
        produces: ['text/plain'],
        querystring: formatQuerySchema,
        response: { 200: envelope({ metrics: freeFormObject }) },
      },
      handler: async (request, reply) => {
        if (request.query.format === 'prometheus') {
          return reply.type(metrics.registry.contentType).send(await metrics.registry.metrics());
        }
        return { metrics: familiesFromPromJson(await metrics.registry.getMetricsAsJSON()) };
      },
    });
  }
}
