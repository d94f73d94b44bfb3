// GET /x/v1/webhooks/deliveries — the delivery log, newest first, filtered by state and kind, paged by id.
import type { FastifyInstance } from 'fastify';
import type { WebhookKind } from '../../../services/webhook-deliveries.js';
import type { RouteDeps } from '../deps.js';
import { deliveryListResponse, presentDelivery } from './delivery-schema.js';

interface Query {
  state?: 'pending' | 'delivered' | 'failed';
  kind?: WebhookKind;
  before?: string;
  limit?: string;
}

export function registerWebhookDeliveriesList(app: FastifyInstance, { webhooks }: RouteDeps): void {
  app.get<{ Querystring: Query }>('/x/v1/webhooks/deliveries', {
    config: { access: 'admin', apiStatus: 'experimental' },
    schema: {
      summary: 'List webhook deliveries',
      description: 'Newest first, filtered by state and kind, paged by id.',
      querystring: {
        type: 'object',
        additionalProperties: false,
        properties: {
          state: { type: 'string', enum: ['pending', 'delivered', 'failed'] },
          kind: { type: 'string', enum: ['contacts', 'message', 'status', 'error'] },
          before: { type: 'string', pattern: '^[0-9]{1,15}$' },
          limit: { type: 'string', pattern: '^([1-9][0-9]?|[1-4][0-9]{2}|500)$' },
        },
      },
      response: { 200: deliveryListResponse },
    },
    handler: async (request) => {
      const { state, kind, before, limit } = request.query;
      const pageSize = limit ? Number(limit) : 50;
      const rows = await webhooks.deliveries.list({
        ...(state ? { state } : {}),
        ...(kind ? { kind } : {}),
        ...(before ? { before: Number(before) } : {}),
        limit: pageSize,
      });
      const last = rows.at(-1);
      return {
        deliveries: rows.map(presentDelivery),
        // The cursor for the next (older) page; null on the last page.
        paging: { before: rows.length === pageSize && last ? Number(last.id) : null },
      };
    },
  });
}
