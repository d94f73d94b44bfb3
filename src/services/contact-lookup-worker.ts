// Finishes `blocking: no_wait` contact look-ups in the background. Look-ups are rows in the database, claimed with
// a lease, so a crash or restart loses none: an expired lease makes the row claimable again.
import type { ContactLookupsRepository, ClaimedLookup, LookupResult } from '../db/repositories/contact-lookups.js';
import { GatewayUnavailableError, type ContactNetwork } from './contact-network.js';
import type { Clock } from '../lib/clock.js';
import type { WaId } from '../lib/phone.js';
import { cacheRows } from './contacts.js';

// 50 look-ups a claim keeps one transaction short; a 30 s lease is far above one sandbox or Cloud answer.
const CLAIM_LIMIT = 50;
const LEASE_MS = 30_000;
const POLL_INTERVAL_MS = 1000;
/** After this many failed attempts the numbers are reported `failed` instead of retried again. */
export const MAX_LOOKUP_ATTEMPTS = 5;
const RETRY_STEP_MS = 5000;

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
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;
  let wakeAgain = false;

  async function finish(lookup: ClaimedLookup): Promise<void> {
    const waIds = [...new Set(lookup.entries.map((e) => e.wa_id as WaId))];
    try {
      const presence = await gateway.lookupContacts(waIds);
      const now = clock.now();
      const result: LookupResult[] = lookup.entries.map(({ input, wa_id }) =>
        presence.get(wa_id as WaId) === 'on_whatsapp' ? { input, status: 'valid', wa_id } : { input, status: 'invalid' },
      );
      await lookups.complete(lookup.id, result, cacheRows(presence, now), now);
      onCallbackWritten();
    } catch (error) {
      if (!(error instanceof GatewayUnavailableError)) throw error;
      if (lookup.attempts >= MAX_LOOKUP_ATTEMPTS) await giveUp(lookup);
      else await lookups.retryAt(lookup.id, clock.now() + RETRY_STEP_MS * lookup.attempts);
    }
  }

  /** Reports every number of the look-up `failed`, the old API's status for a look-up that could not be made. */
  async function giveUp(lookup: ClaimedLookup): Promise<void> {
    const result: LookupResult[] = lookup.entries.map(({ input }) => ({ input, status: 'failed' }));
    await lookups.complete(lookup.id, result, [], clock.now());
    onCallbackWritten();
  }

  /** Claims and finishes due look-ups until none is left. */
  async function drain(): Promise<void> {
    for (;;) {
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
      if (claimed.length < CLAIM_LIMIT) return;
    }
  }

  function runNow(): Promise<void> {
    if (running) {
      wakeAgain = true;
      return running;
    }
    running = drain()
      .catch((error) => log.error({ err: error }, 'contact look-up worker failed'))
      .finally(() => {
        running = null;
        if (wakeAgain) {
          wakeAgain = false;
          void runNow();
        }
      });
    return running;
  }

  return {
    start(): void {
      timer ??= setInterval(() => void runNow(), POLL_INTERVAL_MS);
      timer.unref();
      void runNow();
    },
    /** Starts a pass now (used right after a look-up is queued). */
    wake(): void {
      if (timer) void runNow();
    },
    /**
     * Runs one pass that starts after this call, to completion; for the CLI and tests. A pass already under way
     * may have read the clock before the caller moved it, so it is waited for first, not taken as this one.
     */
    async runOnce(): Promise<void> {
      if (running) await running;
      await runNow();
    },
    async stop(): Promise<void> {
      if (timer) clearInterval(timer);
      timer = null;
      wakeAgain = false;
      await running;
    },
  };
}

export type ContactLookupWorker = ReturnType<typeof createContactLookupWorker>;
