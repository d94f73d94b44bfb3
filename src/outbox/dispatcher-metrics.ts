// The dispatcher's metrics: attempts by result, callbacks given up, delivery latency, and the backlog read from the
// outbox at scrape time (so every node reports the shared queue, not only what it holds: on several nodes, take
// the max across nodes, never the sum).
import { Counter, Gauge, Histogram } from 'prom-client';
import type { WebhookOutboxRepository } from '../db/repositories/webhook-outbox.js';
import type { Clock } from '../lib/clock.js';
import type { Metrics } from '../metrics.js';

export type AttemptResult = 'delivered' | 'http_error' | 'network_error';

// 5 s: both backlog gauges share one read (one indexed query, see WebhookOutboxRepository.backlog), and however
// many scrapers a node has (an HA pair of Prometheus servers, a dashboard reading JSON) it runs at most once per
// 5 s: with 1,000,000 callbacks pending the count costs ~NN ms. 5 s is a third of Prometheus's default 15 s scrape
// interval, so a scrape never sees a figure older than that, and the backlog alerts wait minutes anyway.
export const BACKLOG_CACHE_MS = 5000;

type Backlog = Awaited<ReturnType<WebhookOutboxRepository['backlog']>>;

/** The outbox's backlog, read at most once per BACKLOG_CACHE_MS; null while the database cannot answer. */
function createBacklogReader(outbox: WebhookOutboxRepository, clock: Clock): () => Promise<Backlog | null> {
  let cached: { at: number; read: Promise<Backlog | null> } | null = null;
  return () => {
    const now = clock.now();
    if (!cached || now - cached.at >= BACKLOG_CACHE_MS) {
      const read = outbox.backlog().catch(() => null);
      cached = { at: now, read };
      // A failed read is not kept: the next scrape asks again.
      void read.then((backlog) => {
        if (backlog === null && cached?.read === read) cached = null;
      });
    }
    return cached.read;
  };
}

export function createDispatcherMetrics(metrics: Metrics, outbox: WebhookOutboxRepository, clock: Clock) {
  const backlog = createBacklogReader(outbox, clock);
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
  for (const result of ['delivered', 'http_error', 'network_error'] satisfies AttemptResult[]) attempts.inc({ result }, 0);
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
