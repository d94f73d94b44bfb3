// The dispatcher's metrics: attempts by result, delivery latency, and the backlog read from the outbox at scrape
// time (so every node reports the shared queue, not only what it holds).
import { Counter, Gauge, Histogram } from 'prom-client';
import type { WebhookOutboxRepository } from '../db/repositories/webhook-outbox.js';
import type { Clock } from '../lib/clock.js';
import type { Metrics } from '../metrics.js';

export type AttemptResult = 'delivered' | 'http_error' | 'network_error';

export function createDispatcherMetrics(metrics: Metrics, outbox: WebhookOutboxRepository, clock: Clock) {
  const attempts = new Counter({
    name: 'openprem_webhook_attempts_total',
    help: 'Webhook delivery attempts, by result',
    labelNames: ['result'] as const,
    registers: [metrics.registry],
  });
  const latency = new Histogram({
    name: 'openprem_webhook_delivery_latency_seconds',
    help: 'From the event to its successful delivery, retries included',
    buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 30, 60, 300, 900, 3600],
    registers: [metrics.registry],
  });
  new Gauge({
    name: 'openprem_webhook_queue_depth',
    help: 'Callbacks waiting for delivery',
    registers: [metrics.registry],
    async collect() {
      // While the database is unreachable the scrape still answers (openprem_db_unreachable says why): the last
      // value stays.
      const backlog = await outbox.backlog().catch(() => null);
      if (backlog) this.set(backlog.pending);
    },
  });
  new Gauge({
    name: 'openprem_webhook_oldest_pending_age_seconds',
    help: 'Age of the oldest callback waiting for delivery (0 when none)',
    registers: [metrics.registry],
    async collect() {
      const backlog = await outbox.backlog().catch(() => null);
      if (backlog) this.set(backlog.oldestCreatedAt === null ? 0 : Math.max(0, (clock.now() - backlog.oldestCreatedAt) / 1000));
    },
  });
  return {
    attempted(result: AttemptResult): void {
      attempts.inc({ result });
    },
    delivered(createdAt: number): void {
      latency.observe(Math.max(0, clock.now() - createdAt) / 1000);
    },
  };
}
