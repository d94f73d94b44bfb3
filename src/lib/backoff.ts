// Every wait between two tries lives here: two shapes (linear, doubling) and the named policies built from them,
// each with its numbers and the reason for them. A retry is counted from 1: `delay(1)` is the wait before the
// second try.

/** The n-th retry waits n × stepMs, at most capMs. */
export function linearBackoff(stepMs: number, capMs = Infinity): (retry: number) => number {
  return (retry) => Math.min(stepMs * retry, capMs);
}

/** The n-th retry waits firstMs × 2^(n−1), at most capMs. */
export function doublingBackoff(firstMs: number, capMs = Infinity): (retry: number) => number {
  return (retry) => Math.min(firstMs * 2 ** Math.max(0, retry - 1), capMs);
}

/**
 * Meta's webhooks that could not be translated (src/modes/cloud/inbound/worker.ts): 5 s, 10 s, 20 s … at most
 * 15 minutes, On-Prem's own callback backoff cap. Doubling, because the usual cause (a media fetch from Graph)
 * either passes on the next try or stays down for a while.
 */
export const cloudWebhookRetry = doublingBackoff(5000, 900_000);

/**
 * `blocking: no_wait` contact look-ups the network could not answer (src/services/contact-lookup-worker.ts):
 * 5 s, 10 s, 15 s, 20 s. No cap is needed: the look-up is reported `failed` after its 5th attempt.
 */
export const contactLookupRetry = linearBackoff(5000);

/** The cluster's notice connection (src/cluster/pg-bus.ts): 100 ms doubling to 5 s, back soon after a failover. */
export const clusterBusReconnect = doublingBackoff(100, 5000);

/**
 * Graph calls Cloud throttled (src/modes/cloud/graph-client.ts): WA_CLOUD_THROTTLE_BACKOFF_MS doubling, uncapped;
 * WA_CLOUD_THROTTLE_RETRIES (at most 10) bounds the total.
 */
export const graphThrottleRetry = (firstMs: number) => doublingBackoff(firstMs);

/** The settings the old API's callback backoff reads (docs/api/webhooks.md#retries). */
export interface CallbackRetrySettings {
  callback_backoff_delay_ms: number;
  max_callback_backoff_delay_ms: number;
  callback_persist: boolean;
}

/**
 * The old API's linear callback backoff (docs/api/webhooks.md#retries), after `failedAttempts` failures: the n-th
 * retry waits n × callback_backoff_delay_ms, capped at max_callback_backoff_delay_ms; null to give up. With
 * callback_persist it never gives up; without it, it stops after the first retry that already waited the capped
 * delay (docs/api/choices.md#webhooks).
 */
export function callbackRetryDelay(failedAttempts: number, settings: CallbackRetrySettings): number | null {
  const step = settings.callback_backoff_delay_ms;
  const cap = settings.max_callback_backoff_delay_ms;
  if (!settings.callback_persist && step * (failedAttempts - 1) >= cap) return null;
  return linearBackoff(step, cap)(failedAttempts);
}
