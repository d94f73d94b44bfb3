// The dispatcher's metrics: attempts by result, callbacks given up, delivery latency, and the backlog read from the
// outbox at scrape time (so every node reports the shared queue, not only what it holds: on several nodes, take
// the max across nodes, never the sum). The backlog read and how long it is kept: delivery-numbers.ts.
import { Counter, Gauge, Histogram } from 'prom-client';
import type { Clock } from '../lib/clock.js';
import type { Metrics } from '../metrics.js';
import type { Backlog } from '../db/repositories/webhook-outbox.js';

export type AttemptResult = 'delivered' | 'http_error' | 'network_error';

/** `backlog`: the shared, cached read of src/outbox/delivery-numbers.ts. */
export function createDispatcherMetrics(metrics: Metrics, backlog: () => Promise<Backlog | null>, clock: Clock) {
  const attempts = new Counter({
    name: 'openprem_webhook_attempts_total',
    help: 'Webhook delivery attempts, by result',
    labelNames: ['result'] as const,
    registers: [metrics.registry],
  });
  const givenUp = new Counter({
    name: 'openprem_webhook_given_up_total',
    help: 'Callbacks left undelivered (state failed) after their last retry; callback_persist never gives up',
    registers: [metrics.registry],
  });
  // Present from the start, so that rates and alerts see the series before the first attempt.
  for (const result of ['delivered', 'http_error', 'network_error'] satisfies AttemptResult[])
    attempts.inc({ result }, 0);
  givenUp.inc(0);
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
      const read = await backlog();
      if (read) this.set(read.pending);
    },
  });
  new Gauge({
    name: 'openprem_webhook_oldest_pending_age_seconds',
    help: 'Age of the oldest callback waiting for delivery (0 when none)',
    registers: [metrics.registry],
    async collect() {
      const read = await backlog();
      if (read) this.set(read.oldestCreatedAt === null ? 0 : Math.max(0, (clock.now() - read.oldestCreatedAt) / 1000));
    },
  });
  return {
    attempted(result: AttemptResult): void {
      attempts.inc({ result });
    },
    delivered(createdAt: number): void {
      latency.observe(Math.max(0, clock.now() - createdAt) / 1000);
    },
    gaveUp(): void {
      givenUp.inc();
    },
  };
}
