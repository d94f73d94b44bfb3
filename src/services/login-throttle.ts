// Slows down password guessing without letting anyone lock a user out. Failed logins are counted under three keys:
//
//   (username, address)  one source guessing one account: the right password from elsewhere is never affected.
//   address              one source spraying many usernames (or one username past the pair limit).
//   username             a ceiling against guessing spread over many addresses; it refuses only addresses that
//                        have themselves failed for that username, so an address that has not failed always
//                        gets its login checked, whoever guesses elsewhere.
//
// Past a key's free failures, each failure locks the key for a doubling delay (1 s, 2 s, 4 s … capped at 15 min).
// While a key applies, logins answer 429 / 1015 with Retry-After before any password is hashed (scrypt, ~120 ms of
// CPU), so refused guesses cost nothing. A correct password clears its (username, address) key; the address and
// username keys keep counting, or one valid account would reset an attacker's count at others.
//
// The counts live in this node's memory: with several nodes behind a balancer, each node counts on its own.
import { createHash } from 'node:crypto';
import { doublingBackoff } from '../lib/backoff.js';
import { addressBlockKey } from '../lib/ip-address.js';
import { LRUCache } from 'lru-cache';
import type { Clock } from '../lib/clock.js';

/** A person mistyping a password rarely fails five times in a row before stopping to check. */
export const PAIR_FREE_FAILURES = 5;
/** An address may stand for an office behind one NAT, so several people's typos share it: four times the pair's. */
export const ADDRESS_FREE_FAILURES = 20;
/** Failures for one username from all addresses together before the ceiling applies: far beyond typos (even a
 *  team sharing an account fails a handful of times a day), yet distributed guessing is cut to one guess per fresh
 *  address per lock period once it is reached. */
export const USERNAME_FREE_FAILURES = 50;
export const MAX_LOCKOUT_MS = 15 * 60 * 1000;
/** The n-th failure past the free ones locks for 1 s, 2 s, 4 s … at most MAX_LOCKOUT_MS. */
const lockout = doublingBackoff(1000, MAX_LOCKOUT_MS);
/** A key's failures are forgotten 15 minutes after its last one. */
export const FORGET_AFTER_MS = 15 * 60 * 1000;
/** Records kept at most, the least recently used dropped first. A username enters a key as its SHA-256, so neither
 *  its length nor the Basic header it was cut from (with the password) is kept; an address enters as at most 45
 *  characters (addressKey). Measured: 400,000 failures with distinct 2,000-character usernames from distinct IPv6
 *  /64s left 200,000 records in 40 MB of heap (211 bytes each), however long a flood goes on. */
export const MAX_RECORDS = 200_000;

interface FailureRecord {
  failures: number;
  lockedUntil: number;
}

export function createLoginThrottle(clock: Clock) {
  const records = new LRUCache<string, FailureRecord>({
    max: MAX_RECORDS,
    ttl: FORGET_AFTER_MS,
    perf: { now: () => clock.now() },
    // Read the (injectable) clock on every check rather than reuse a reading for 1 ms of real time.
    ttlResolution: 0,
  });

  const keysOf = (username: string, address: string) => {
    const name = sha256(username);
    const source = addressKey(address);
    return { pair: `p ${source} ${name}`, address: `a ${source}`, username: `u ${name}` };
  };
  const lockWait = (key: string, now: number) => Math.max(0, (records.peek(key)?.lockedUntil ?? 0) - now);

  function fail(key: string, freeFailures: number, now: number): void {
    const record = records.get(key) ?? { failures: 0, lockedUntil: 0 };
    record.failures += 1;
    // The last free failure already locks for 1 s: the next attempt waits.
    const excess = record.failures - freeFailures;
    if (excess >= 0) record.lockedUntil = now + lockout(excess + 1);
    records.set(key, record);
  }

  return {
    /** Milliseconds until this address may try this username again; 0 when it may now. */
    waitMs(username: string, address: string): number {
      const now = clock.now();
      const keys = keysOf(username, address);
      let wait = Math.max(lockWait(keys.pair, now), lockWait(keys.address, now));
      // The username's ceiling holds back only addresses that have failed for it.
      if (records.has(keys.pair)) wait = Math.max(wait, lockWait(keys.username, now));
      return wait;
    },

    /** Counts a failed login; answers the lock-out it starts (0 while failures are still free) and the count. */
    recordFailure(username: string, address: string): { lockedForMs: number; failures: number } {
      const now = clock.now();
      const keys = keysOf(username, address);
      fail(keys.pair, PAIR_FREE_FAILURES, now);
      fail(keys.address, ADDRESS_FREE_FAILURES, now);
      fail(keys.username, USERNAME_FREE_FAILURES, now);
      // What this address now faces for this username (the ceiling counts only because this address failed).
      const lockedForMs = Math.max(lockWait(keys.pair, now), lockWait(keys.address, now), lockWait(keys.username, now));
      return { lockedForMs, failures: records.peek(keys.pair)?.failures ?? 0 };
    },

    recordSuccess(username: string, address: string): void {
      records.delete(keysOf(username, address).pair);
    },

    /** Records held now (for tests of the memory bound). */
    get size(): number {
      return records.size;
    },
  };
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('base64url');

/**
 * The address a failure is counted under: its address block (IPv4, IPv6 by its /64: src/lib/ip-address.ts). Anything
 * else (a trusted proxy may forward any text in X-Forwarded-For) by its hash, to keep the key short.
 */
export function addressKey(address: string): string {
  return addressBlockKey(address) ?? `#${sha256(address)}`;
}

export type LoginThrottle = ReturnType<typeof createLoginThrottle>;
