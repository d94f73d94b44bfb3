// The delivery log's numbers as GET /x/v1/webhooks/deliveries/summary and the `deliveries` live event show them.
import type { DeliverySummary } from '../../outbox/delivery-numbers.js';

export const deliverySummarySchema = {
  type: 'object',
  properties: {
    pending: { type: 'integer' },
    delivered: { type: 'integer' },
    failed: { type: 'integer' },
    oldest_pending_age_seconds: { type: ['integer', 'null'] },
  },
} as const;

/** The age in whole seconds, never negative (another node's clock may be a little ahead). */
export function presentDeliverySummary({ pending, delivered, failed, oldestPendingAt }: DeliverySummary, now: number) {
  return {
    pending,
    delivered,
    failed,
    oldest_pending_age_seconds:
      oldestPendingAt === null ? null : Math.max(0, Math.floor((now - oldestPendingAt) / 1000)),
  };
}
