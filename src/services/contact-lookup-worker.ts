// Finishes `blocking: no_wait` contact look-ups in the background. Look-ups are rows in the database, claimed with
// a lease, so a crash or restart loses none: an expired lease makes the row claimable again.
import type { ContactLookupsRepository, ClaimedLookup, LookupResult } from '../db/repositories/contact-lookups.js';
import { contactLookupRetry } from '../lib/backoff.js';
import { GatewayUnavailableError, type ContactNetwork } from './contact-network.js';
import type { Clock } from '../lib/clock.js';
import { createPassLoop, dueIn } from '../lib/pass-loop.js';
import type { WaId } from '../lib/phone.js';
import { cacheRows } from './contacts.js';

// 50 look-ups a claim keeps one transaction short; a 30 s lease is far above one sandbox or Cloud answer.
const CLAIM_LIMIT = 50;
const LEASE_MS = 30_000;
const IDLE_MS = 1000;
/** After this many failed attempts the numbers are reported `failed` instead of retried again. */
export const MAX_LOOKUP_ATTEMPTS = 5;

export interface Logger {
  warn(obj: object, message: string): void;
  error(obj: object, message: string): void;
}

/**
 * `onCallbackWritten` is told when a finished look-up wrote its webhook, so the dispatcher delivers it at once
 * instead of at its next poll.
 */
export function createContactLookupWorker(
  lookups: ContactLookupsRepository,
  gateway: ContactNetwork,
  clock: Clock,
  log: Logger,
  onCallbackWritten: () => void = () => {},
) {
  async function finish(lookup: ClaimedLookup): Promise<void> {
    const waIds = [...new Set(lookup.entries.map((e) => e.wa_id as WaId))];
    try {
      const presence = await gateway.lookupContacts(waIds);
      const now = clock.now();
      const result: LookupResult[] = lookup.entries.map(({ input, wa_id }) =>
        presence.get(wa_id as WaId) === 'on_whatsapp'
          ? { input, status: 'valid', wa_id }
          : { input, status: 'invalid' },
      );
      await lookups.complete(lookup.id, result, cacheRows(presence, now), now);
      onCallbackWritten();
    } catch (error) {
      if (!(error instanceof GatewayUnavailableError)) throw error;
      if (lookup.attempts >= MAX_LOOKUP_ATTEMPTS) await giveUp(lookup);
      else await lookups.retryAt(lookup.id, clock.now() + contactLookupRetry(lookup.attempts));
    }
  }

  /** Reports every number of the look-up `failed`, the old API's status for a look-up that could not be made. */
  async function giveUp(lookup: ClaimedLookup): Promise<void> {
    const result: LookupResult[] = lookup.entries.map(({ input }) => ({ input, status: 'failed' }));
    await lookups.complete(lookup.id, result, [], clock.now());
    onCallbackWritten();
  }

  /** Claims and finishes one batch of due look-ups; answers whether the batch was full (more may be waiting). */
  async function pass(): Promise<boolean> {
    const claimed = await lookups.claimDue(clock.now(), CLAIM_LIMIT, LEASE_MS);
    for (const lookup of claimed) {
      try {
        await finish(lookup);
      } catch (error) {
        // The lease runs out and the look-up is tried again, up to the same bound as an unavailable network,
        // so that a look-up that always fails (a bug, a corrupt row) ends as `failed` instead of looping.
        log.error({ err: error, lookupId: lookup.id, attempts: lookup.attempts }, 'contact look-up failed');
        if (lookup.attempts >= MAX_LOOKUP_ATTEMPTS) await giveUp(lookup).catch(() => {});
      }
    }
    return claimed.length === CLAIM_LIMIT;
  }

  const logPassFailure = (error: unknown) => log.error({ err: error }, 'contact look-up worker failed');
  const loop = createPassLoop({
    pass,
    nextDueIn: dueIn(() => lookups.nextDueAt(), clock),
    idleMs: IDLE_MS,
    // 0 ms: a look-up is queued by one request with all its numbers; there is no burst to gather.
    wakeDelayMs: 0,
    onError: logPassFailure,
  });

  return {
    start: () => loop.start(),
    /** Starts a pass now (used right after a look-up is queued); nothing before start. */
    wake: () => loop.wake(),
    /**
     * Runs passes that start after this call, to completion; for the CLI and tests. A pass already under way may
     * have read the clock before the caller moved it, so it is waited for first, not taken as this one.
     */
    runOnce: () => loop.drain().catch(logPassFailure),
    stop: () => loop.stop(),
  };
}

export type ContactLookupWorker = ReturnType<typeof createContactLookupWorker>;
