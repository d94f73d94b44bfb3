// The delivery log's numbers, read for the metrics (openprem_webhook_queue_depth, _oldest_pending_age_seconds), the
// console's summary (GET /x/v1/webhooks/deliveries/summary) and its live view (GET /x/v1/events), each read shared
// by every caller and kept for a while, however many scrapers, consoles and streams a node serves.
//
// The backlog is one query on a partial index (migration 0014). Measured with bench/outbox-backlog.ts on the 2-core
// machine (load average 14-21), median per read before (two reads a scrape, no index) → after:
//   100,000 pending among 1,000,000 delivered: PostgreSQL 80 → 30 ms, SQLite 98 → 24 ms;
//   1,000,000 pending:                         PostgreSQL 323 → 135 ms, SQLite 2,097 → 273 ms.
// Delivered and failed deliveries are counted from webhook_outbox_due (state, next_attempt_at) alone, and the log
// keeps delivered ones for days: with 1,000,000 of them a count took SQLite 129-189 ms and PostgreSQL 174-221 ms
// (same machine at load average 5-7, bench/outbox-backlog.ts), so they have a cache of their own, read only for the
// summary and the live views, and the metrics never wait for them.
import type { DeliverySummary, WebhookOutboxRepository } from '../db/repositories/webhook-outbox.js';
import type { Clock } from '../lib/clock.js';

// 5 s is a third of Prometheus's default 15 s scrape interval, so a scrape sees a figure at most that old, and the
// backlog alerts wait minutes anyway. SQLite's read holds the event loop, so a slow read also spaces the next one:
// at most one read per 50 times its own duration (2 % of the loop; 13.6 s after a 273 ms read).
const CACHE_MS = 5000;
const READ_SHARE = 50;

export type { DeliverySummary };

/** `read`, done again only once the last result is old enough; null while the database cannot answer. */
function createCachedRead<T>(read: () => Promise<T>, clock: Clock): () => Promise<T | null> {
  let cached: { at: number; read: Promise<T | null> } | null = null;
  let keepMs = CACHE_MS;
  return () => {
    const now = clock.now();
    if (!cached || now - cached.at >= keepMs) {
      const started = performance.now();
      const reading = read().catch(() => null);
      cached = { at: now, read: reading };
      void reading.then((result) => {
        keepMs = Math.max(CACHE_MS, READ_SHARE * (performance.now() - started));
        // A failed read is not kept: the next caller asks again.
        if (result === null && cached?.read === reading) cached = null;
      });
    }
    return cached.read;
  };
}

export function createDeliveryNumbers(outbox: Pick<WebhookOutboxRepository, 'backlog' | 'endedCounts'>, clock: Clock) {
  const backlog = createCachedRead(() => outbox.backlog(), clock);
  const ended = createCachedRead(() => outbox.endedCounts(), clock);
  return {
    backlog,
    /** The four numbers together; null while either read fails. */
    async summary(): Promise<DeliverySummary | null> {
      const [waiting, done] = await Promise.all([backlog(), ended()]);
      if (!waiting || !done) return null;
      return {
        pending: waiting.pending,
        delivered: done.delivered,
        failed: done.failed,
        oldestPendingAt: waiting.oldestCreatedAt,
      };
    },
  };
}

export type DeliveryNumbers = ReturnType<typeof createDeliveryNumbers>;
