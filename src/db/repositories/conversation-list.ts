// The reads behind the console's list of conversations (one per customer with messages, newest activity first)
// and its pages of one conversation. No index of their own: every read is a range of messages_created
// (created_at) or messages_customer (wa_id, direction, created_at), whose direction is always named (`in` and
// `out`) so that created_at stays a range bound under it instead of a filter over the customer's whole history.
// How the service combines them, and the measurements: src/services/messages/conversations.ts.
import { sql } from 'kysely';
import type { Db } from '../database.js';
import type { Dialect } from '../dialect.js';
import type { MessageRow } from './messages.js';

const BOTH = ['in', 'out'] as const;

/** A place in the messages' (created_at, id) order; `id` null: every message at `at` still to come. */
export interface MessagePosition {
  at: number;
  id: string | null;
}

/** A conversation's place in the list: its newest message's time, then the wa_id. */
export interface ConversationKey {
  at: number;
  waId: string;
}

export interface Activity {
  id: string;
  wa_id: string;
  created_at: number;
}

export function createConversationListRepository(db: Db, dialect: Dialect) {
  const greatest = dialect === 'sqlite' ? 'max' : 'greatest';
  // Ids are ordered byte by byte on both dialects, as JavaScript compares them: a PostgreSQL database created with a
  // linguistic collation (en_US.UTF-8) would otherwise sort `-` and `_` of wamids apart from the code that merges.
  const id = dialect === 'postgres' ? sql<string>`id collate "C"` : sql<string>`id`;

  return {
    /** Messages in (created_at, id) order from newest, below `before` (from the newest when null). */
    async recentActivity(before: MessagePosition | null, limit: number): Promise<Activity[]> {
      let query = db
        .selectFrom('messages')
        .select(['id', 'wa_id', 'created_at'])
        .orderBy('created_at', 'desc')
        .orderBy(id, 'desc')
        .limit(limit);
      if (before) query = query.where('created_at', '<=', before.at);
      if (before?.id != null)
        query = query.where((eb) => eb.or([eb('created_at', '<', before.at), eb(id, '<', before.id!)]));
      const rows = await query.execute();
      return rows.map((row) => ({ ...row, created_at: Number(row.created_at) }));
    },

    /** Which of `waIds` have a message after `at`: two short index ranges each. */
    async withMessagesAfter(waIds: readonly string[], at: number): Promise<Set<string>> {
      if (waIds.length === 0) return new Set();
      const rows = await db
        .selectFrom('messages')
        .select('wa_id')
        .distinct()
        .where('wa_id', 'in', waIds)
        .where('direction', 'in', BOTH)
        .where('created_at', '>', at)
        .execute();
      return new Set(rows.map((row) => row.wa_id));
    },

    /**
     * The first `limit` customers with messages in wa_id order, each with its newest message's time: a skip scan of
     * messages_customer (one seek per customer, and two for its newest message), whatever their message counts.
     */
    async customersWithActivity(limit: number): Promise<ConversationKey[]> {
      const newest = (direction: string) =>
        `coalesce((select max(m.created_at) from messages m where m.wa_id = c.wa_id and m.direction = '${direction}'), 0)`;
      const result = await sql<{ wa_id: string; at: number }>`
        with recursive c(wa_id, n) as (
          select min(wa_id), 1 from messages
          union all
          select (select min(m.wa_id) from messages m where m.wa_id > c.wa_id), c.n + 1 from c where c.wa_id is not null and c.n < ${limit}
        )
        select wa_id, ${sql.raw(`${greatest}(${newest('in')}, ${newest('out')})`)} as at from c where wa_id is not null`.execute(
        db,
      );
      return result.rows.map((row) => ({ waId: row.wa_id, at: Number(row.at) }));
    },

    /** Every customer's newest message time, below `before`, newest first: one pass over the whole table. */
    async lastActivityBelow(before: ConversationKey | null, limit: number): Promise<ConversationKey[]> {
      let query = db
        .selectFrom('messages')
        .select((eb) => ['wa_id', eb.fn.max<number>('created_at').as('at')])
        .groupBy('wa_id')
        .orderBy('at', 'desc')
        .orderBy('wa_id', 'desc')
        .limit(limit);
      if (before) {
        const last = sql<number>`max(created_at)`;
        query = query.having((eb) =>
          eb.or([eb(last, '<', before.at), eb.and([eb(last, '=', before.at), eb('wa_id', '<', before.waId)])]),
        );
      }
      const rows = await query.execute();
      return rows.map((row) => ({ waId: row.wa_id, at: Number(row.at) }));
    },

    /** Each conversation's newest message (the greatest id among those at its time). */
    async newestOf(keys: readonly ConversationKey[]): Promise<MessageRow[]> {
      if (keys.length === 0) return [];
      const rows = await db
        .selectFrom('messages')
        .selectAll()
        .where(
          'wa_id',
          'in',
          keys.map((key) => key.waId),
        )
        .where('direction', 'in', BOTH)
        .where('created_at', 'in', [...new Set(keys.map((key) => key.at))])
        .execute();
      const newest = new Map<string, MessageRow>();
      const wanted = new Map(keys.map((key) => [key.waId, key.at]));
      for (const row of rows) {
        if (wanted.get(row.wa_id) !== Number(row.created_at)) continue;
        const kept = newest.get(row.wa_id);
        if (!kept || row.id > kept.id) newest.set(row.wa_id, row);
      }
      return [...newest.values()];
    },

    /**
     * Per customer: its messages after `after` (all when null), and how many of them are at or before `upTo`. Two
     * plain range counts rather than one with a CASE per row: 130 against 190 ms over 1,000,000 messages (SQLite).
     */
    async countMessages(
      waIds: readonly string[],
      after: number | null,
      upTo: number,
    ): Promise<Map<string, { total: number; settled: number }>> {
      if (waIds.length === 0) return new Map();
      const count = async (above: number | null, atMost: number | null) => {
        let query = db
          .selectFrom('messages')
          .select((eb) => ['wa_id', eb.fn.countAll<number>().as('n')])
          .where('wa_id', 'in', waIds)
          .where('direction', 'in', BOTH)
          .groupBy('wa_id');
        if (above !== null) query = query.where('created_at', '>', above);
        if (atMost !== null) query = query.where('created_at', '<=', atMost);
        return new Map((await query.execute()).map((row) => [row.wa_id, Number(row.n)]));
      };
      const settledEmpty = after !== null && after >= upTo;
      const [settled, recent] = await Promise.all([
        settledEmpty ? new Map<string, number>() : count(after, upTo),
        count(settledEmpty ? after : upTo, null),
      ]);
      return new Map(
        waIds.map((waId) => {
          const old = settled.get(waId) ?? 0;
          return [waId, { total: old + (recent.get(waId) ?? 0), settled: old }];
        }),
      );
    },

    /** Per customer: inbound messages the business has not marked read. */
    async countUnread(waIds: readonly string[]): Promise<Map<string, number>> {
      if (waIds.length === 0) return new Map();
      const rows = await db
        .selectFrom('messages')
        .select((eb) => ['wa_id', eb.fn.countAll<number>().as('n')])
        .where('wa_id', 'in', waIds)
        .where('direction', '=', 'in')
        .where('status', '!=', 'read')
        .groupBy('wa_id')
        .execute();
      return new Map(rows.map((row) => [row.wa_id, Number(row.n)]));
    },

    /**
     * One conversation's newest `limit` messages below `before`, newest first. One range per direction, merged:
     * ordering both directions together in SQL would read the customer's whole history to sort it.
     *
     * The direction is bounded as a range of one value and ordered on, not compared with `=`: PostgreSQL drops an
     * ORDER BY column an equality fixes, and may then walk messages_created newest first instead, filtering for a
     * busy customer's rare direction (its inbound messages, say) through the whole table: 325-460 ms on 1,000,000
     * messages against 0.04 ms. The row comparison still starts the range at the cursor, on both dialects.
     */
    async pageOf(waId: string, before: { at: number; id: string } | null, limit: number): Promise<MessageRow[]> {
      const range = (direction: 'in' | 'out') => {
        let query = db
          .selectFrom('messages')
          .selectAll()
          .where('wa_id', '=', waId)
          .where('direction', '>=', direction)
          .where((eb) =>
            eb(
              eb.refTuple('direction', 'created_at'),
              '<=',
              eb.tuple(direction, before?.at ?? Number.MAX_SAFE_INTEGER),
            ),
          )
          .orderBy('direction', 'desc')
          .orderBy('created_at', 'desc')
          .orderBy(id, 'desc')
          .limit(limit);
        if (before) query = query.where((eb) => eb.or([eb('created_at', '<', before.at), eb(id, '<', before.id)]));
        return query.execute();
      };
      const [inbound, outbound] = await Promise.all([range('in'), range('out')]);
      return [...inbound, ...outbound].sort(newestFirst).slice(0, limit);
    },
  };
}

export type ConversationListRepository = ReturnType<typeof createConversationListRepository>;

/** (created_at, id) descending: the order of a conversation's pages and of the activity walk. */
function newestFirst(a: Pick<MessageRow, 'created_at' | 'id'>, b: Pick<MessageRow, 'created_at' | 'id'>): number {
  return Number(b.created_at) - Number(a.created_at) || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);
}
