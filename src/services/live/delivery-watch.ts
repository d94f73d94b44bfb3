// The delivery log's numbers for the console's live views: read every WATCH_MS while anyone listens, and handed
// on only when they changed. The reads are src/outbox/delivery-numbers.ts's, kept a few seconds and shared with the
// metrics and GET /x/v1/webhooks/deliveries/summary: a node with any number of live views adds at most one read
// every few seconds, and none without them.
import type { DeliverySummary } from '../../db/repositories/webhook-outbox.js';

// 2 s: a live view sees a backlog build up or drain within seconds; the figures themselves change at most every
// 5 s (their cache), so watching more often would only compare the same figures.
const WATCH_MS = 2000;

export type DeliveryListener = (summary: DeliverySummary) => void;

const same = (a: DeliverySummary, b: DeliverySummary) =>
  a.pending === b.pending &&
  a.delivered === b.delivered &&
  a.failed === b.failed &&
  a.oldestPendingAt === b.oldestPendingAt;

/** `numbers`: the cached reads of src/outbox/delivery-numbers.ts (the domain does not import the outbox). */
export function createDeliveryWatch(numbers: { summary(): Promise<DeliverySummary | null> }) {
  const listeners = new Set<DeliveryListener>();
  let timer: NodeJS.Timeout | null = null;
  let last: DeliverySummary | null = null;

  async function look(): Promise<void> {
    const now = await numbers.summary();
    if (!now || (last && same(last, now))) return;
    last = now;
    for (const listener of listeners) listener(now);
  }

  return {
    /** The numbers now (a listener's first figures); null while the database cannot answer. */
    async current(): Promise<DeliverySummary | null> {
      const now = await numbers.summary();
      // The first listener's first figures are the ones the next look compares with.
      if (now && !last) last = now;
      return now;
    },
    /** Hears every change from now on; answers the function that stops it. */
    listen(listener: DeliveryListener): () => void {
      listeners.add(listener);
      if (!timer) {
        // A failed look (the database away, a listener gone) is retried at the next tick, never thrown from a timer.
        timer = setInterval(() => void look().catch(() => {}), WATCH_MS);
        timer.unref();
      }
      return () => {
        listeners.delete(listener);
        if (listeners.size > 0 || !timer) return;
        clearInterval(timer);
        timer = null;
        last = null;
      };
    },
    /** Looks now, as the timer does (tests). */
    look,
  };
}

export type DeliveryWatch = ReturnType<typeof createDeliveryWatch>;
