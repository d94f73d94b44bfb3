// POST /x/v1/webhooks/deliveries/{id}/replay — send one delivery again now (same delivery id, so a receiver that
// deduplicates still can); POST /x/v1/webhooks/deliveries/replay — every failed delivery again.
import type { FastifyInstance } from 'fastify';
import { ApiError } from '../../../errors.js';
import { envelope } from '../../schemas.js';
import type { RouteDeps } from '../deps.js';
import { deliveryIdParams } from './delivery-schema.js';

const replayResponse = envelope({ replayed: { type: 'integer' } });

export function registerWebhookDeliveriesReplay(app: FastifyInstance, { webhooks }: RouteDeps): void {
  app.post<{ Params: { id: string } }>('/x/v1/webhooks/deliveries/:id/replay', {
    config: { access: 'admin', apiStatus: 'experimental', audit: { event: 'webhook deliveries replayed' } },
    schema: {
      summary: 'Replay one delivery now',
      description: 'The same delivery id, so a receiver that deduplicates still can.',
      params: deliveryIdParams,
      response: { 200: replayResponse },
    },
    handler: async (request) => {
      if (!(await webhooks.deliveries.replay(request.params.id))) {
        throw new ApiError('notFound', `no webhook delivery ${request.params.id}`);
      }
      return { replayed: 1 };
    },
  });

  app.post('/x/v1/webhooks/deliveries/replay', {
    config: { access: 'admin', apiStatus: 'experimental', audit: { event: 'webhook deliveries replayed' } },
    schema: {
      summary: 'Replay every failed delivery',
      response: { 200: replayResponse },
    },
    handler: async () => {
      const replayed = await webhooks.deliveries.replayFailed();
      return { replayed };
    },
  });
}
