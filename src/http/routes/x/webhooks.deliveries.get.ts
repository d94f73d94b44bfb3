// GET /x/v1/webhooks/deliveries/{id} — one delivery, its payload and every attempt (time, status, duration, the
// first KB of the receiver's answer).
import type { FastifyInstance } from 'fastify';
import { ApiError } from '../../../errors.js';
import type { RouteDeps } from '../deps.js';
import { deliveryDetailResponse, deliveryIdParams, presentDelivery } from './delivery-schema.js';

export function registerWebhookDeliveriesGet(app: FastifyInstance, { webhooks }: RouteDeps): void {
  app.get<{ Params: { id: string } }>('/x/v1/webhooks/deliveries/:id', {
    config: { access: 'admin', apiStatus: 'experimental' },
    schema: {
      summary: 'Get a delivery with its attempts',
      description: 'Its payload and every attempt: time, status, duration and the first KB of the answer.',
      params: deliveryIdParams,
      response: { 200: deliveryDetailResponse },
    },
    handler: async (request) => {
      const found = await webhooks.deliveries.find(request.params.id);
      if (!found) throw new ApiError('notFound', `no webhook delivery ${request.params.id}`);
      const { delivery, attempts } = found;
      return {
        deliveries: [
          { ...presentDelivery(delivery), payload: JSON.parse(delivery.payload) as object, attempt_log: attempts },
        ],
      };
    },
  });
}
