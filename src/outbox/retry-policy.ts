// The old API's linear backoff (docs/api/webhooks.md#retries): the n-th retry waits n × callback_backoff_delay_ms,
// capped at max_callback_backoff_delay_ms. With callback_persist it never gives up; without it, it stops after the
// first retry that already waited the capped delay (docs/api/choices.md#webhooks).

export interface RetrySettings {
  callback_backoff_delay_ms: number;
  max_callback_backoff_delay_ms: number;
  callback_persist: boolean;
}

/** After `failedAttempts` failures: milliseconds until the next attempt, or null to give up. */
export function nextRetryDelay(failedAttempts: number, settings: RetrySettings): number | null {
  const step = settings.callback_backoff_delay_ms;
  const cap = settings.max_callback_backoff_delay_ms;
  if (!settings.callback_persist && step * (failedAttempts - 1) >= cap) return null;
  return Math.min(step * failedAttempts, cap);
}
