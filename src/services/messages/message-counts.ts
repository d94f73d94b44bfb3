// How many messages each conversation holds, for the console's list, without counting a long conversation afresh
// on every refresh. Counting reads messages_customer alone, but a customer with 1,000,000 messages (the benchmark
// sends to one) took 65-130 ms on SQLite and 140-260 ms on PostgreSQL (2-core machine), and the list is read again
// each time a live view hears of a change. So each count is kept: the messages older than SETTLE_MS are counted
// once and remembered, and only the newer ones are counted at each read, a short index range.
//
// Why the recent ones are counted again each time: a message's created_at is taken before it commits, so an older
// one may still appear after a newer one was counted (another transaction, another node whose clock is a little
// behind). And why every count is started over after RECOUNT_MS: the garbage collector deletes old messages, which a
// remembered count would go on including.
import { LRUCache } from 'lru-cache';
import type { ConversationListRepository } from '../../db/repositories/conversation-list.js';
import type { Clock } from '../../lib/clock.js';

const SETTLE_MS = 10_000;
// 5 minutes: a full count of the benchmark's conversation holds SQLite's event loop ~130 ms, so at most once in
// 5 minutes per conversation read; a count may include messages the garbage collector removed for that long.
const RECOUNT_MS = 5 * 60_000;
// 10,000 conversations × ~150 bytes: 1.5 MB at most; one pushed out is counted in full at its next read.
const MAX_REMEMBERED = 10_000;

interface Remembered {
  /** Messages up to `upTo` (created_at, inclusive). */
  settled: number;
  upTo: number;
  countedAt: number;
}

export function createMessageCounts(repository: Pick<ConversationListRepository, 'countMessages'>, clock: Clock) {
  const remembered = new LRUCache<string, Remembered>({ max: MAX_REMEMBERED });

  /** The customers to count from each point: from their remembered horizon (with what is remembered), or from the start (null). */
  function groupByStart(
    waIds: readonly string[],
    now: number,
  ): Map<number | null, { waId: string; memo: Remembered | null }[]> {
    const groups = new Map<number | null, { waId: string; memo: Remembered | null }[]>();
    for (const waId of waIds) {
      const kept = remembered.get(waId);
      const memo = kept && now - kept.countedAt < RECOUNT_MS ? kept : null;
      const from = memo?.upTo ?? null;
      groups.set(from, [...(groups.get(from) ?? []), { waId, memo }]);
    }
    return groups;
  }

  return {
    /** Each customer's message count, both directions. */
    async totals(waIds: readonly string[]): Promise<Map<string, number>> {
      const now = clock.now();
      const horizon = now - SETTLE_MS;
      const totals = new Map<string, number>();
      for (const [from, group] of groupByStart(waIds, now)) {
        const counted = await repository.countMessages(
          group.map((g) => g.waId),
          from,
          horizon,
        );
        for (const { waId, memo } of group) {
          const base = memo?.settled ?? 0;
          const { total, settled } = counted.get(waId) ?? { total: 0, settled: 0 };
          totals.set(waId, base + total);
          remembered.set(waId, {
            settled: base + settled,
            upTo: Math.max(horizon, from ?? horizon),
            countedAt: memo?.countedAt ?? now,
          });
        }
      }
      return totals;
    },
  };
}
