// Slows down password guessing: after FREE_FAILURES failed logins for one username or one client address, that key
// is locked out, and each further failure locks it out again for a doubling delay (1 s, 2 s, 4 s … capped at
// 15 min). While locked out, logins answer 429 / 1015 with Retry-After before any password is hashed, so guessing
// also costs no CPU.
import { LRUCache } from 'lru-cache';
import type { Clock } from '../lib/clock.js';

export const FREE_FAILURES = 5;
const MAX_LOCKOUT_MS = 15 * 60 * 1000;
/** Failures are forgotten after 15 minutes without a new one. */
const FORGET_AFTER_MS = 15 * 60 * 1000;

interface FailureRecord {
  failures: number;
  lockedUntil: number;
}

export function createLoginThrottle(clock: Clock) {
  const records = new LRUCache<string, FailureRecord>({
    max: 100_000,
    ttl: FORGET_AFTER_MS,
    perf: { now: () => clock.now() },
    // Read the (injectable) clock on every check rather than reuse a reading for 1 ms of real time.
    ttlResolution: 0,
  });

  const keysOf = (username: string, address: string) => [`user:${username}`, `addr:${address}`];

  return {
    /** Milliseconds until a login for this username or address may be tried again; 0 when it may now. */
    waitMs(username: string, address: string): number {
      const now = clock.now();
      let wait = 0;
      for (const key of keysOf(username, address)) {
        const record = records.get(key);
        if (record) wait = Math.max(wait, record.lockedUntil - now);
      }
      return Math.max(0, wait);
    },

    /** Counts a failed login; answers the lock-out it starts (0 while failures are still free) and the count. */
    recordFailure(username: string, address: string): { lockedForMs: number; failures: number } {
      const now = clock.now();
      const outcome = { lockedForMs: 0, failures: 0 };
      for (const key of keysOf(username, address)) {
        const record = records.get(key) ?? { failures: 0, lockedUntil: 0 };
        record.failures += 1;
        // The FREE_FAILURES-th failure locks the key out for 1 s: the next attempt already waits.
        const excess = record.failures - FREE_FAILURES;
        if (excess >= 0) record.lockedUntil = now + Math.min(1000 * 2 ** excess, MAX_LOCKOUT_MS);
        records.set(key, record);
        outcome.lockedForMs = Math.max(outcome.lockedForMs, record.lockedUntil - now);
        outcome.failures = Math.max(outcome.failures, record.failures);
      }
      return outcome;
    },

    /** A correct password clears the username's record; the address keeps its count (one valid account must
     *  not reset the counter for guesses at other accounts from the same address). */
    recordSuccess(username: string): void {
      records.delete(`user:${username}`);
    },
  };
}

export type LoginThrottle = ReturnType<typeof createLoginThrottle>;
