// The dispatcher's metrics: attempts by result, callbacks given up, delivery latency, and the backlog read from the
// outbox at scrape time (so every node reports the shared queue, not only what it holds: on several nodes, take
// the max across nodes, never the sum).
import { Counter, Gauge, Histogram } from 'prom-client';
import type { WebhookOutboxRepository } from '../db/repositories/webhook-outbox.js';
import type { Clock } from '../lib/clock.js';
import type { Metrics } from '../metrics.js';

export type AttemptResult = 'delivered' | 'http_error' | 'network_error';

// Both backlog gauges share one read (one query on a partial index: migration 0014), made at most once per 5 s
// however many scrapers a node has (an HA pair of Prometheus servers, a dashboard reading JSON). 5 s is a third of
// Prometheus's default 15 s scrape interval, so a scrape sees a figure at most that old, and the backlog alerts
// wait minutes anyway. The read counts every pending row: measured with bench/outbox-backlog.ts on the 2-core
// machine (load average 14-21), median per read before (two reads a scrape, no index) → after:
//   100,000 pending among 1,000,000 delivered: PostgreSQL 80 → 30 ms, SQLite 98 → 24 ms;
//   1,000,000 pending:                         PostgreSQL 323 → 135 ms, SQLite 2,097 → 273 ms.
// SQLite's read holds the event loop, so a slow read also spaces the next one: at most one read per 50 times its
// own duration (2 % of the loop; 13.6 s after a 273 ms read).
const BACKLOG_CACHE_MS = 5000;
const BACKLOG_READ_SHARE = 50;

type Backlog = Awaited<ReturnType<WebhookOutboxRepository['backlog']>>;

/** The outbox's backlog, read again only once the last read is old enough; null while the database cannot answer. */
function createBacklogReader(outbox: WebhookOutboxRepository, clock: Clock): () => Promise<Backlog | null> {
  let cached: { at: number; read: Promise<Backlog | null> } | null = null;
  let keepMs = BACKLOG_CACHE_MS;
  return () => {
    const now = clock.now();
    if (!cached || now - cached.at >= keepMs) {
      const started = performance.now();
      const read = outbox.backlog().catch(() => null);
      cached = { at: now, read };
      void read.then((backlog) => {
        keepMs = Math.max(BACKLOG_CACHE_MS, BACKLOG_READ_SHARE * (performance.now() - started));
        // A failed read is not kept: the next scrape asks again.
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
