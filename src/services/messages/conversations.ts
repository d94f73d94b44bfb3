// The console's conversations: every customer with messages, newest activity first, and the pages of one of them.
//
// No table or index of its own: a summary row per customer would cost every send and every status an extra write,
// and an index on messages would cost every status update its HOT update on PostgreSQL. The list is found from the
// indexes there are, in up to three steps, each taken only when the one before could not fill the page:
//   1. Walk the newest messages (messages_created) until `limit` customers have shown up. Customers writing at
//      comparable rates fill a page within a few hundred rows; at most WALK_BUDGET rows are read.
//   2. One or a few customers wrote most of the recent messages (a bulk send, the benchmark): skip-scan the
//      customers instead (messages_customer, a few seeks each), when there are at most SKIP_SCAN_CUSTOMERS.
//   3. Both at once (many customers behind a few very busy ones): one pass over the table, grouped by customer.
// Measured on the 2-core machine with 1,000,000 messages: bench/conversations.ts, bench/results/conversations-latest.md.
//
// A conversation's message count is read from messages_customer alone, but a customer with a million messages still
// costs 65-260 ms to count, on every refresh of the list: see message-counts.ts. Unread inbound messages are
// counted afresh each time (a read receipt can change any of them): their status is in the table, not the index,
// so a page of 50 conversations with 333 unread messages each took ~30 ms on both dialects.
import type { ConversationKey, ConversationListRepository } from '../../db/repositories/conversation-list.js';
import type { MessageRow, MessagesRepository } from '../../db/repositories/messages.js';
import type { Clock } from '../../lib/clock.js';
import { createMessageCounts } from './message-counts.js';

// 2,000 rows: 4-8 ms on SQLite, 10-50 ms on PostgreSQL; past it the customers are too few or too unequal to walk.
const WALK_BUDGET = 2000;
// 1,000 customers: 3-8 ms on SQLite, 25-32 ms on PostgreSQL (about 25 µs a customer); the grouped pass costs
// 130-370 ms and 170-430 ms on a million messages, whatever the number of customers.
const SKIP_SCAN_CUSTOMERS = 1000;

export interface Conversation {
  waId: string;
  last: MessageRow;
  /** Inbound messages the business has not marked read. */
  unread: number;
  messages: number;
}

export interface ConversationPage {
  conversations: Conversation[];
  /** Where the next page starts; null when this one is the last. */
  next: ConversationKey | null;
}

export interface ConversationsDeps {
  messages: Pick<MessagesRepository, 'findMany'>;
  repository: ConversationListRepository;
  clock: Clock;
}

const byKeyDescending = (a: ConversationKey, b: ConversationKey) =>
  b.at - a.at || (a.waId < b.waId ? 1 : a.waId > b.waId ? -1 : 0);
const below = (key: ConversationKey, cursor: ConversationKey | null) => !cursor || byKeyDescending(cursor, key) < 0;

export function createConversations({ messages, repository, clock }: ConversationsDeps) {
  const counts = createMessageCounts(repository, clock);

  /**
   * Step 1. Customers in the order their newest message appears, below the cursor. One whose messages reach above
   * the cursor was on an earlier page (or has moved up since): it is dropped here. Answers null when the walk ran
   * out of budget before the page was certain.
   */
  async function walk(
    cursor: ConversationKey | null,
    wanted: number,
  ): Promise<{ key: ConversationKey; id: string }[] | null> {
    const seen = new Set<string>();
    const found: { key: ConversationKey; id: string }[] = [];
    let position = cursor ? { at: cursor.at, id: null as string | null } : null;
    let chunk = Math.max(200, wanted * 4);
    for (let walked = 0; walked < WALK_BUDGET; ) {
      const asked = Math.min(chunk, WALK_BUDGET - walked);
      const rows = await repository.recentActivity(position, asked);
      walked += rows.length;
      const fresh = rows.filter((row) => !seen.has(row.wa_id) && seen.add(row.wa_id));
      const candidates = fresh.filter((row) => below({ at: row.created_at, waId: row.wa_id }, cursor));
      const earlier = cursor
        ? await repository.withMessagesAfter(
            candidates.map((row) => row.wa_id),
            cursor.at,
          )
        : new Set<string>();
      for (const row of candidates)
        if (!earlier.has(row.wa_id)) found.push({ key: { at: row.created_at, waId: row.wa_id }, id: row.id });
      const last = rows.at(-1);
      // The table ends here: every customer below the cursor has been seen.
      if (!last || rows.length < asked) return found.sort((a, b) => byKeyDescending(a.key, b.key));
      // Customers whose newest message is after the last row read are in their final order; one at its very time
      // might still be preceded by another customer met further down at that time.
      if (found.filter((f) => f.key.at > last.created_at).length >= wanted)
        return found.sort((a, b) => byKeyDescending(a.key, b.key)).slice(0, wanted);
      // At the rate customers have shown up so far, the page would not fill within the budget: stop walking now.
      if (walked * wanted > WALK_BUDGET * Math.max(found.length, 1)) return null;
      position = { at: last.created_at, id: last.id };
      chunk *= 2;
    }
    return null;
  }

  /** Steps 2 and 3: the page from every customer's newest message time. */
  async function aggregate(cursor: ConversationKey | null, wanted: number): Promise<ConversationKey[]> {
    const customers = await repository.customersWithActivity(SKIP_SCAN_CUSTOMERS + 1);
    if (customers.length <= SKIP_SCAN_CUSTOMERS)
      return customers
        .filter((key) => below(key, cursor))
        .sort(byKeyDescending)
        .slice(0, wanted);
    return repository.lastActivityBelow(cursor, wanted);
  }

  async function newestMessages(
    walked: { key: ConversationKey; id: string }[] | null,
    keys: ConversationKey[],
  ): Promise<Map<string, MessageRow>> {
    const rows = walked ? await messages.findMany(walked.map((w) => w.id)) : await repository.newestOf(keys);
    return new Map(rows.map((row) => [row.wa_id, row]));
  }

  return {
    /** `limit` conversations below `before` (from the newest when null). */
    async list(before: ConversationKey | null, limit: number): Promise<ConversationPage> {
      // One more than asked says whether another page follows.
      const walked = await walk(before, limit + 1);
      const keys = walked ? walked.map((w) => w.key) : await aggregate(before, limit + 1);
      const page = keys.slice(0, limit);
      const waIds = page.map((key) => key.waId);
      const [newest, totals, unread] = await Promise.all([
        newestMessages(walked?.slice(0, limit) ?? null, page),
        counts.totals(waIds),
        repository.countUnread(waIds),
      ]);
      // A customer whose messages the garbage collector removed between the reads is left out of this page.
      const conversations = page.flatMap((key) => {
        const last = newest.get(key.waId);
        return last
          ? [{ waId: key.waId, last, unread: unread.get(key.waId) ?? 0, messages: totals.get(key.waId) ?? 0 }]
          : [];
      });
      return { conversations, next: keys.length > limit ? page.at(-1)! : null };
    },

    /** One conversation's newest `limit` messages below `before`, oldest first, and where the page before it starts. */
    async messages(
      waId: string,
      before: { at: number; id: string } | null,
      limit: number,
    ): Promise<{ rows: MessageRow[]; next: { at: number; id: string } | null }> {
      const newestFirst = await repository.pageOf(waId, before, limit + 1);
      const page = newestFirst.slice(0, limit);
      const oldest = page.at(-1);
      return {
        rows: page.reverse(),
        next: newestFirst.length > limit && oldest ? { at: Number(oldest.created_at), id: oldest.id } : null,
      };
    },
  };
}

export type Conversations = ReturnType<typeof createConversations>;
