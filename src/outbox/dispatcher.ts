// Delivers the outbox to the webhook URL: at least once, across restarts and crashes.
//
// A pool keeps up to `max_concurrent_requests` posts in flight, fed from a small local queue of rows claimed under
// a lease; a freed slot takes the next row at once, so one slow receiver never stalls the others behind a batch.
// Outcomes are committed in groups of up to 4 per slot (outcome-batch.ts). A node killed mid-delivery leaves its
// rows leased; when the lease runs out any node claims them again, so an acknowledged callback is never lost (it
// may arrive twice, which is why each carries a stable X-OpenPrem-Delivery-Id).
import type { Logger } from 'pino';
import type {
  Backlog,
  ClaimedDelivery,
  DeliveryOutcome,
  WebhookOutboxRepository,
} from '../db/repositories/webhook-outbox.js';
import { callbackRetryDelay, type CallbackRetrySettings } from '../lib/backoff.js';
import type { Clock } from '../lib/clock.js';
import { signatureHeader } from '../lib/hub-signature.js';
import type { Metrics } from '../metrics.js';
import { createDispatcherMetrics } from './dispatcher-metrics.js';
import type { WebhookSender } from './http-sender.js';
import { createOutcomeBatch } from './outcome-batch.js';
import { createReceiverHealth } from './receiver-health.js';

// Claim 4 rows per slot (24 at the default 6 slots): one claim statement feeds many deliveries, and the local
// queue stays short (4 rounds of attempts) so that rows are sent well before their lease runs out.
const CLAIM_PER_SLOT = 4;
// 30 s, or 3 attempt timeouts when those are longer: it bounds how long the callbacks a dead node held wait on
// PostgreSQL (SQLite releases them at start-up: db/leases.ts). A queued row is only posted while its attempt can
// end before the lease does, so a live node's slow receiver never gets a second copy from a reclaim.
const MIN_LEASE_MS = 30_000;
const POLL_INTERVAL_MS = 1000;
// Outcomes are committed 4 per slot at a time, or 10 ms after the first (outcome-batch.ts). A slot is free again as
// soon as its post is answered; posts answered but not yet committed are bounded to 8 per slot, so a slow commit
// holds the next posts back instead of piling outcomes up in memory.
const SETTLE_PER_SLOT = 4;
const SETTLE_DELAY_MS = 10;
const UNSETTLED_PER_SLOT = 8;

/**
 * What the dispatcher reads of the application settings, declared here so that the outbox does not depend on the
 * settings service: the service's values fit this shape as they are.
 */
export interface DispatcherSettings extends CallbackRetrySettings {
  webhooks: { url: string | null; secret: string | null; max_concurrent_requests: number };
}

export interface DispatcherDeps {
  outbox: WebhookOutboxRepository;
  sender: WebhookSender;
  settings: { current(): DispatcherSettings };
  clock: Clock;
  metrics: Metrics;
  log: Pick<Logger, 'error' | 'info' | 'warn'>;
  userAgent: string;
  /** One attempt's bound (the sender's timeout). */
  attemptTimeoutMs: number;
  /** The backlog for the metrics, read at most every few seconds (src/outbox/delivery-numbers.ts). */
  backlog: () => Promise<Backlog | null>;
}

export function createWebhookDispatcher(deps: DispatcherDeps) {
  const { outbox, sender, clock } = deps;
  const leaseMs = Math.max(MIN_LEASE_MS, 3 * deps.attemptTimeoutMs);
  const measure = createDispatcherMetrics(deps.metrics, deps.backlog, clock);
  const receiver = createReceiverHealth({ clock, log: deps.log, backlog: () => outbox.backlog() });
  const outcomes = createOutcomeBatch((group) => outbox.complete(group), {
    size: () => SETTLE_PER_SLOT * deps.settings.current().webhooks.max_concurrent_requests,
    delayMs: SETTLE_DELAY_MS,
  });
  const queue: (ClaimedDelivery & { leaseEnds: number })[] = [];
  let inFlight = 0;
  let unsettled = 0;
  let claiming: Promise<number> | null = null;
  let claimAgain = false;
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;

  async function deliver(
    delivery: ClaimedDelivery,
    settings: DispatcherSettings,
    url: string,
  ): Promise<DeliveryOutcome> {
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'user-agent': deps.userAgent,
      'x-openprem-delivery-id': delivery.deliveryId,
    };
    if (settings.webhooks.secret)
      headers['x-hub-signature-256'] = signatureHeader(settings.webhooks.secret, delivery.payload);
    const attemptedAt = clock.now();
    const result = await sender.send(url, delivery.payload, headers);
    receiver.observe(url, result);
    // Any 2xx counts: the old API's documentation asks for 200, and accepting 201/202/204 too only helps receivers.
    const delivered = result.statusCode !== null && result.statusCode >= 200 && result.statusCode < 300;
    measure.attempted(delivered ? 'delivered' : result.statusCode === null ? 'network_error' : 'http_error');
    let next: DeliveryOutcome['next'] = { state: 'delivered' };
    if (delivered) {
      measure.delivered(delivery.createdAt);
    } else {
      const delay = callbackRetryDelay(delivery.attempts + 1, settings);
      next = delay === null ? { state: 'failed' } : { state: 'pending', nextAttemptAt: clock.now() + delay };
      if (delay === null) measure.gaveUp();
    }
    return {
      id: delivery.id,
      attemptedAt,
      durationMs: result.durationMs,
      statusCode: result.statusCode,
      error: result.error,
      responseBody: result.responseBody,
      next,
    };
  }

  /** Fills free slots from the local queue, and the queue from the outbox when it runs low. */
  function pump(): void {
    const settings = deps.settings.current();
    const url = settings.webhooks.url;
    // Without a URL callbacks wait in the outbox: nothing is dropped.
    if (stopped || !url) return;
    const slots = settings.webhooks.max_concurrent_requests;
    while (inFlight < slots && unsettled < UNSETTLED_PER_SLOT * slots && queue.length > 0) {
      const delivery = queue.shift()!;
      // A row whose lease could run out before this attempt ends may go to another node too: leave it to a reclaim.
      if (clock.now() + deps.attemptTimeoutMs >= delivery.leaseEnds) continue;
      inFlight += 1;
      unsettled += 1;
      void deliver(delivery, settings, url)
        .finally(() => {
          inFlight -= 1;
          pump();
        })
        .then((outcome) => {
          const recorded = outcomes.add(outcome);
          if (inFlight === 0) outcomes.release();
          return recorded;
        })
        .catch((error) =>
          deps.log.error({ err: error }, 'webhook outcome not recorded; the delivery is retried when its lease ends'),
        )
        .finally(() => {
          unsettled -= 1;
          pump();
        });
    }
    if (queue.length < slots) void claim(slots);
  }

  function claim(slots: number): Promise<number> {
    if (claiming) {
      claimAgain = true;
      return claiming;
    }
    claiming = (async () => {
      const now = clock.now();
      const batch = await outbox.claimDue(now, slots * CLAIM_PER_SLOT - queue.length, leaseMs);
      for (const delivery of batch) queue.push({ ...delivery, leaseEnds: now + leaseMs });
      return batch.length;
    })()
      .catch((error) => {
        deps.log.error({ err: error }, 'webhook claim failed; retried at the next poll');
        return 0;
      })
      .finally(() => {
        claiming = null;
      });
    void claiming.then((claimed) => {
      if (claimed > 0 || claimAgain) {
        claimAgain = false;
        pump();
      }
    });
    return claiming;
  }

  const nextTurn = () => new Promise((resolve) => setTimeout(resolve, 1));

  /**
   * Waits until nothing is posting, claiming or waiting for its outcome to commit. A committed outcome frees the
   * next callback of its ordering key, and the pump claims and posts it at once: that work is waited for too, or
   * runOnce would ask hasDue while the callback is leased and stop before posting it (seen on PostgreSQL, where
   * the claim and hasDue run on two connections).
   */
  async function settled(): Promise<void> {
    do {
      while (inFlight > 0 || claiming) await nextTurn();
      await outcomes.flush();
      await nextTurn();
    } while (inFlight > 0 || claiming || unsettled > 0);
  }

  return {
    start(): void {
      stopped = false;
      timer ??= setInterval(() => {
        receiver.tick();
        pump();
      }, POLL_INTERVAL_MS);
      timer.unref();
      pump();
    },
    /** A callback was written: deliver it now rather than at the next poll. */
    wake(): void {
      pump();
    },
    /** Delivers everything due now and records the outcomes, for tests and tools. */
    async runOnce(): Promise<void> {
      receiver.tick();
      do {
        pump();
        await settled();
      } while (!stopped && deps.settings.current().webhooks.url && (await outbox.hasDue(clock.now())));
    },
    async stop(): Promise<void> {
      stopped = true;
      if (timer) clearInterval(timer);
      timer = null;
      await claiming;
      // Rows claimed but not yet sent go back at once instead of waiting for their lease to run out.
      await outbox.release(queue.splice(0).map((d) => d.id));
      await settled();
      await sender.close();
    },
  };
}

export type WebhookDispatcher = ReturnType<typeof createWebhookDispatcher>;
