// The outcomes of finished posts, gathered into larger groups before they are committed. The group commit alone
// (lib/group-commit.ts) commits what one event-loop turn finished: about 15 outcomes at 8,000 deliveries/s with 24
// posts in flight, and each such transaction costs 21 µs of SQLite work per delivery. Held up to `size` outcomes or
// `delayMs`, a transaction carries about 96 (4 per slot at 24 slots), which costs 15 µs per delivery (the claim's
// and the settle's fixed costs spread over more rows; measured on 120,000 rows, 2 cores).
// Nothing is acknowledged by a commit here: an outcome held a few milliseconds longer only keeps its row leased (and
// the next callback of its ordering key waiting) that much longer; a node killed meanwhile re-delivers the row when
// its lease runs out, as it would had the post itself been cut short.
import type { DeliveryOutcome } from '../db/repositories/webhook-outbox.js';
import { createGroupCommit } from '../lib/group-commit.js';

interface Held {
  outcome: DeliveryOutcome;
  resolve(): void;
  reject(error: unknown): void;
}

export interface OutcomeBatchOptions {
  /** Committed once this many are held. */
  size: () => number;
  /** Committed at the latest this long after the first was held. */
  delayMs: number;
}

export function createOutcomeBatch(
  commit: (outcomes: DeliveryOutcome[]) => Promise<void>,
  { size, delayMs }: OutcomeBatchOptions,
) {
  const completions = createGroupCommit<DeliveryOutcome>(commit);
  let held: Held[] = [];
  let timer: NodeJS.Timeout | null = null;

  /** Hands what is held to the group commit now: added in one turn, it is one transaction (up to 512). */
  function release(): void {
    if (timer) clearTimeout(timer);
    timer = null;
    const group = held;
    held = [];
    for (const { outcome, resolve, reject } of group) completions.add(outcome).then(resolve, reject);
  }

  return {
    /** Resolves once the outcome is committed; rejects with the error of its commit. */
    add(outcome: DeliveryOutcome): Promise<void> {
      return new Promise<void>((resolve, reject) => {
        held.push({ outcome, resolve, reject });
        if (held.length >= size()) release();
        else timer ??= setTimeout(release, delayMs);
      });
    },
    /** Commits what is held without waiting: nothing else is in flight to join it. */
    release,
    /** Resolves when everything added so far is committed (or has failed). */
    async flush(): Promise<void> {
      release();
      await completions.flush();
    },
  };
}
