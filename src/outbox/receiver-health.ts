// Whether the webhook receiver is up, as the attempts show it, told in the log on its transitions only: a
// receiver that refuses connections gets every callback retried, and a line per retry would bury everything else.
// So: one info line when it goes down (refused, unreachable, timed out, 5xx), a warn reminder at most every
// REMINDER_INTERVAL_MS while it stays down (with the backlog and its oldest callback's age: someone must act),
// and one info line when it is back. Each node judges from its own attempts.
import type { Logger } from 'pino';
import type { Clock } from '../lib/clock.js';
import type { SendResult } from './http-sender.js';

export const REMINDER_INTERVAL_MS = 5 * 60 * 1000;

export interface ReceiverHealthDeps {
  clock: Clock;
  log: Pick<Logger, 'info' | 'warn'>;
  backlog(): Promise<{ pending: number; oldestCreatedAt: number | null }>;
}

interface Outage {
  readonly url: string;
  readonly since: number;
  failedAttempts: number;
  reason: string;
  remindedAt: number;
}

export function createReceiverHealth({ clock, log, backlog }: ReceiverHealthDeps) {
  let outage: Outage | null = null;
  let reminding = false;

  async function remind(current: Outage): Promise<void> {
    reminding = true;
    try {
      const { pending, oldestCreatedAt } = await backlog();
      const now = clock.now();
      log.warn(
        {
          url: shownUrl(current.url),
          downForMs: now - current.since,
          failedAttempts: current.failedAttempts,
          reason: current.reason,
          pending,
          oldestPendingAgeMs: oldestCreatedAt === null ? null : now - oldestCreatedAt,
        },
        'webhook receiver still down: callbacks are waiting',
      );
    } catch {
      // The database is down too: that outage has its own log line, and the next tick tries again.
      current.remindedAt = 0;
    } finally {
      reminding = false;
    }
  }

  return {
    /** Every attempt's outcome, against the URL it went to. */
    observe(url: string, result: SendResult): void {
      const problem = failureOf(result);
      if (outage && outage.url !== url) outage = null;
      if (problem === null) {
        if (outage) {
          log.info(
            { url: shownUrl(url), downForMs: clock.now() - outage.since, failedAttempts: outage.failedAttempts },
            'webhook receiver is back',
          );
          outage = null;
        }
        return;
      }
      if (outage) {
        outage.failedAttempts += 1;
        outage.reason = problem;
        return;
      }
      const now = clock.now();
      outage = { url, since: now, failedAttempts: 1, reason: problem, remindedAt: now };
      log.info(
        { url: shownUrl(url), reason: problem },
        'webhook receiver down: callbacks wait in the outbox and are retried',
      );
    },

    /** Called on the dispatcher's poll: the reminder comes even while no attempt is due. */
    tick(): void {
      if (!outage || reminding || clock.now() - outage.remindedAt < REMINDER_INTERVAL_MS) return;
      outage.remindedAt = clock.now();
      void remind(outage);
    },
  };
}

/** What makes a receiver down: no answer at all, or a 5xx. A 4xx is an answer (the delivery log keeps it). */
function failureOf(result: SendResult): string | null {
  if (result.statusCode === null) return result.error ?? 'no answer';
  return result.statusCode >= 500 ? `HTTP ${result.statusCode}` : null;
}

/** The URL without credentials or query string, which may carry a receiver's key. */
function shownUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.origin}${parsed.pathname}`;
  } catch {
    return '(unparsable URL)';
  }
}
