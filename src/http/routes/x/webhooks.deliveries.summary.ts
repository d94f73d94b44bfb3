// GET /x/v1/webhooks/deliveries/summary — the delivery log in four numbers: pending, delivered and failed deliveries
// (as long as the log keeps them), and how long the oldest pending one has waited. Read at most every few seconds
// and shared by every caller (src/outbox/delivery-numbers.ts), so a console polling it costs the database nothing more.
import type { FastifyInstance } from 'fastify';
import { ApiError } from '../../../errors.js';
import { envelope } from '../../schemas.js';
import { deliverySummarySchema, presentDeliverySummary } from '../../views/delivery-summary.js';
import type { RouteDeps } from '../deps.js';

export function registerWebhookDeliveriesSummary(app: FastifyInstance, { webhooks, clock }: RouteDeps): void {
  app.get('/x/v1/webhooks/deliveries/summary', {
    config: { access: 'admin', apiStatus: 'experimental' },
    schema: {
      summary: 'Count the webhook deliveries by state',
      description: 'Pending, delivered and failed deliveries, and how long the oldest pending one has waited.',
      response: { 200: envelope({ deliveries: deliverySummarySchema }) },
    },
    handler: async () => {
      const summary = await webhooks.numbers.summary();
      if (!summary) throw new ApiError('databaseUnavailable', 'the delivery log cannot be read now; retry shortly', 1);
      return { deliveries: presentDeliverySummary(summary, clock.now()) };
    },
  });
}
