// Messages both ways, the network's scheduled effects and the conversations statuses open. Every method that may
// join a caller's transaction takes it as its last argument (the database itself when none is given), so callers
// hold one object; the send path writes many accepted messages in one statement per table (group commit).
import { type RawBuilder, sql, type Transaction } from 'kysely';
import type { Db } from '../database.js';
import {
  fixedChunks,
  fromSql,
  insertShaped,
  isPostgres,
  paddedInList,
  runShaped,
  type SqlType,
} from '../query-shapes.js';
import type { Dialect } from '../dialect.js';
import type { ConversationsTable, Database, MessagesTable, ScheduledEffectsTable } from '../schema.js';

export type MessageRow = MessagesTable;
export type ConversationRow = ConversationsTable;
export type NewEffect = Omit<ScheduledEffectsTable, 'id'>;
export interface ClaimedEffect extends NewEffect {
  id: number;
}
/** A due effect and the customer of its message (null when the message is gone). */
interface DueEffect extends ClaimedEffect {
  wa_id: string | null;
}

/** One accepted message and its hand-off to the network, committed together. */
export interface AcceptedMessage {
  message: MessageRow;
  effect: NewEffect;
}

/** One message whose row a committed transaction created or moved on, by the customer whose conversation it is in. */
export interface ChangedMessage {
  readonly waId: string;
  readonly id: string;
}

/**
 * Told once a transaction that changed messages has committed (the source of the console's live views,
 * src/services/live/). The repository owns this contract, so that the database layer imports nothing above it.
 * On the send path: it must cost next to nothing.
 */
export interface MessageChanges {
  committed(changes: readonly ChangedMessage[]): void;
}

const ignoreMessageChanges: MessageChanges = { committed() {} };

const changed = (row: Pick<MessageRow, 'wa_id' | 'id'>): ChangedMessage => ({ waId: row.wa_id, id: row.id });

const MESSAGE_COLUMNS = {
  id: 'text',
  direction: 'text',
  wa_id: 'text',
  type: 'text',
  content: 'text',
  status: 'text',
  context_id: 'text',
  error_code: 'integer',
  category: 'text',
  conversation_id: 'text',
  created_at: 'bigint',
  sent_at: 'bigint',
  delivered_at: 'bigint',
  read_at: 'bigint',
  updated_at: 'bigint',
} as const satisfies Record<keyof MessageRow, SqlType>;
/** What a status moves, written together by writeStatuses. */
const STATUS_COLUMNS = {
  id: 'text',
  status: 'text',
  updated_at: 'bigint',
  sent_at: 'bigint',
  delivered_at: 'bigint',
  read_at: 'bigint',
  error_code: 'integer',
  category: 'text',
  conversation_id: 'text',
} as const satisfies Partial<Record<keyof MessageRow, SqlType>>;
const STATUS_NAMES = Object.keys(STATUS_COLUMNS) as (keyof typeof STATUS_COLUMNS)[];
const STATUS_ASSIGNMENTS = sql.join(
  STATUS_NAMES.filter((c) => c !== 'id').map((c) => sql`${sql.ref(c)} = v.${sql.ref(c)}`),
);

/**
 * `update messages set … from (…) as v where messages.id = v.id`. SQLite (≥ 3.33): v is a `select cast(? as …)
 * union all …` of the chunk's rows; PostgreSQL: one statement for every row, v an unnest of one array per column.
 */
function statusWrite(
  db: Db,
  rows: readonly MessageRow[],
): { shape: string; parameters: unknown[]; statement: () => RawBuilder<unknown> } {
  // The SQL is built only when a shape is first compiled (statement()): building it per call was 8 % of the CPU.
  if (isPostgres(db)) {
    const arrays = STATUS_NAMES.map((c) => rows.map((row) => row[c]));
    return {
      shape: 'write statuses unnest',
      parameters: arrays,
      statement: () => {
        const columns = sql.join(STATUS_NAMES.map((c, i) => sql`${arrays[i]}::${sql.raw(STATUS_COLUMNS[c])}[]`));
        const names = sql.join(STATUS_NAMES.map((c) => sql.ref(c)));
        return sql`update messages set ${STATUS_ASSIGNMENTS} from unnest(${columns}) as v(${names}) where messages.id = v.id`;
      },
    };
  }
  const parameters: unknown[] = [];
  for (const row of rows) for (const column of STATUS_NAMES) parameters.push(row[column]);
  return {
    shape: `write statuses ×${rows.length}`,
    parameters,
    statement: () => {
      const selects = rows.map(
        (row) =>
          sql`select ${sql.join(STATUS_NAMES.map((c) => sql`cast(${row[c]} as ${sql.raw(STATUS_COLUMNS[c])}) as ${sql.ref(c)}`))}`,
      );
      return sql`update messages set ${STATUS_ASSIGNMENTS} from (${sql.join(selects, sql` union all `)}) as v where messages.id = v.id`;
    },
  };
}

const EFFECT_COLUMNS = { message_id: 'text', kind: 'text', due_at: 'bigint' } as const satisfies Record<
  keyof NewEffect,
  SqlType
>;

/**
 * `changes` hears of every committed change to a message (created, or moved on): from the writes here once they
 * commit, and through `committed` from the callers that change messages in a transaction of their own.
 */
export function createMessagesRepository(db: Db, dialect: Dialect, changes: MessageChanges = ignoreMessageChanges) {
  return {
    /** Many accepted sends in one transaction: one commit for all of them. */
    async insertAccepted(accepted: readonly AcceptedMessage[]): Promise<void> {
      await db.transaction().execute(async (trx) => {
        await insertShaped(
          trx,
          'messages',
          MESSAGE_COLUMNS,
          accepted.map((a) => a.message),
        );
        await insertShaped(
          trx,
          'scheduled_effects',
          EFFECT_COLUMNS,
          accepted.map((a) => a.effect),
        );
      });
      changes.committed(accepted.map((a) => changed(a.message)));
    },

    /** Messages Meta already accepted (the cloud gateway): no hand-off to schedule, one statement for many. */
    async insertSent(rows: readonly MessageRow[]): Promise<void> {
      await insertShaped(db, 'messages', MESSAGE_COLUMNS, rows);
      changes.committed(rows.map(changed));
    },

    /** One message, in the caller's transaction (an inbound message commits with its webhook). */
    async insert(row: MessageRow, trx?: Transaction<Database>): Promise<void> {
      await (trx ?? db).insertInto('messages').values(row).execute();
    },

    /**
     * Writes the status columns of messages a transaction moved on, from their rows as they now stand: one
     * statement for up to 256 messages instead of one per status (4 a sent message; on PostgreSQL each was a round
     * trip, on SQLite 10 µs of building and running). The rows must be current: locked, or read in this transaction.
     */
    async writeStatuses(rows: readonly MessageRow[], trx: Transaction<Database>): Promise<void> {
      for (const chunk of isPostgres(trx) ? [rows] : fixedChunks(rows)) {
        if (chunk.length === 0) continue;
        const { shape, parameters, statement } = statusWrite(trx, chunk);
        await runShaped(trx, shape, parameters, () => fromSql(db, statement()));
      }
    },

    /** Messages a caller's own transaction created or changed, now committed (the network's passes, inbound). */
    committed(messages: readonly ChangedMessage[]): void {
      changes.committed(messages);
    },

    find(id: string): Promise<MessageRow | undefined> {
      return db.selectFrom('messages').selectAll().where('id', '=', id).executeTakeFirst();
    },

    async findMany(ids: readonly string[], trx?: Transaction<Database>): Promise<MessageRow[]> {
      if (ids.length === 0) return [];
      const list = paddedInList(ids);
      const { rows } = await runShaped(trx ?? db, `find messages ×${list.length}`, list, () =>
        db.selectFrom('messages').selectAll().where('id', 'in', list),
      );
      return rows;
    },

    /**
     * The rows as they are now, inside the caller's transaction and, on PostgreSQL, locked until it ends (in id
     * order, so two passes never wait on each other in a circle). SQLite has one writer at a time already.
     */
    async lockedRows(ids: readonly string[], trx: Transaction<Database>): Promise<MessageRow[]> {
      if (ids.length === 0) return [];
      const list = paddedInList(ids);
      const { rows } = await runShaped(trx, `lock messages ×${list.length}`, list, () => {
        const query = db.selectFrom('messages').selectAll().where('id', 'in', list).orderBy('id');
        return dialect === 'postgres' ? query.forUpdate() : query;
      });
      return rows;
    },

    /** The conversation as one customer sees it, oldest first. */
    forCustomer(waId: string, limit: number): Promise<MessageRow[]> {
      return db
        .selectFrom('messages')
        .selectAll()
        .where('wa_id', '=', waId)
        .orderBy('created_at')
        .orderBy('id')
        .limit(limit)
        .execute();
    },

    /** When the customer last wrote to the business (null: never), for the 24-hour window. */
    async lastInboundAt(waId: string, trx?: Transaction<Database>): Promise<number | null> {
      const row = await (trx ?? db)
        .selectFrom('messages')
        .select((eb) => eb.fn.max<number>('created_at').as('last'))
        .where('wa_id', '=', waId)
        .where('direction', '=', 'in')
        .executeTakeFirst();
      return row?.last == null ? null : Number(row.last);
    },

    /** Outbound messages the network has sent but an offline customer has not received yet. */
    undelivered(waId: string, trx?: Transaction<Database>): Promise<Pick<MessageRow, 'id'>[]> {
      return (trx ?? db)
        .selectFrom('messages')
        .select('id')
        .where('wa_id', '=', waId)
        .where('direction', '=', 'out')
        .where('status', '=', 'sent')
        .execute();
    },

    /** Marks an inbound message read; false when it was already read. */
    async markInboundRead(message: Pick<MessageRow, 'id' | 'wa_id'>, now: number): Promise<boolean> {
      const result = await db
        .updateTable('messages')
        .set({ status: 'read', read_at: now, updated_at: now })
        .where('id', '=', message.id)
        .where('direction', '=', 'in')
        .where('status', '!=', 'read')
        .executeTakeFirst();
      const marked = Number(result.numUpdatedRows) === 1;
      if (marked) changes.committed([changed(message)]);
      return marked;
    },

    ...scheduledEffects(db),
    ...conversations(db),
  };
}

export type MessagesRepository = ReturnType<typeof createMessagesRepository>;

/** The network's scheduled effects: what it will do to a message, and when. */
function scheduledEffects(db: Db) {
  return {
    /**
     * Up to `limit` effects due now, oldest first, each with its message's customer (null once the message is gone).
     * Read without a lock: a pass takes them with takeEffects inside its transaction, and one that another pass took
     * first is skipped.
     */
    async dueEffects(now: number, limit: number): Promise<DueEffect[]> {
      const rows = await db
        .selectFrom('scheduled_effects as e')
        .leftJoin('messages as m', 'm.id', 'e.message_id')
        .select(['e.id', 'e.message_id', 'e.kind', 'e.due_at', 'm.wa_id'])
        .where('e.due_at', '<=', now)
        .orderBy('e.due_at')
        .orderBy('e.id')
        .limit(limit)
        .execute();
      return rows.map((r) => ({ ...r, id: Number(r.id), due_at: Number(r.due_at) }));
    },

    /** When the next effect falls due (null when none is scheduled). */
    async nextDueAt(): Promise<number | null> {
      const row = await db
        .selectFrom('scheduled_effects')
        .select((eb) => eb.fn.min<number>('due_at').as('next'))
        .executeTakeFirst();
      return row?.next == null ? null : Number(row.next);
    },

    async schedule(effects: readonly NewEffect[], trx?: Transaction<Database>): Promise<void> {
      // At most 256 rows (768 parameters) a statement: far below SQLite's 32,766 and PostgreSQL's 65,535 bound.
      await insertShaped(trx ?? db, 'scheduled_effects', EFFECT_COLUMNS, effects);
    },

    /**
     * Deletes the effects a pass is about to apply, in its transaction, and answers those it got: another pass may
     * have taken some. An effect counts only if its row is still the one the pass read (same message, kind and due
     * time): on SQLite a rowid is given again once the table has emptied, so a pass that read effect 1 (slowly
     * deciding a media link, say) could otherwise take a newer effect 1 of another message and drop it unapplied.
     * One statement: it was a read then a delete, 25 µs a message on the send bench.
     */
    async takeEffects(effects: readonly ClaimedEffect[], trx: Transaction<Database>): Promise<Set<number>> {
      if (effects.length === 0) return new Set();
      const ids = paddedInList(effects.map((e) => e.id));
      const keys = paddedInList(effects.map((e) => `${e.message_id}|${e.kind}|${e.due_at}`));
      const { rows } = await runShaped(trx, `take effects ×${ids.length}`, [...ids, ...keys], () =>
        db
          .deleteFrom('scheduled_effects')
          .where('id', 'in', ids)
          .where(sql<string>`message_id || '|' || kind || '|' || due_at`, 'in', keys)
          .returning('id'),
      );
      return new Set(rows.map((r) => Number(r.id)));
    },
  };
}

/** The priced 24-hour conversations the sandbox's `sent` statuses open (docs/api/webhooks.md#conversations-and-pricing). */
function conversations(db: Db) {
  return {
    conversation(id: string, trx?: Transaction<Database>): Promise<ConversationRow | undefined> {
      return (trx ?? db).selectFrom('conversations').selectAll().where('id', '=', id).executeTakeFirst();
    },

    /** The open conversation of a category with a customer at `at`, if any. */
    openConversation(
      waId: string,
      category: string,
      at: number,
      trx?: Transaction<Database>,
    ): Promise<ConversationRow | undefined> {
      return (trx ?? db)
        .selectFrom('conversations')
        .selectAll()
        .where('wa_id', '=', waId)
        .where('category', '=', category)
        .where('expires_at', '>', at)
        .orderBy('expires_at', 'desc')
        .executeTakeFirst();
    },

    async openNewConversation(row: ConversationRow, trx?: Transaction<Database>): Promise<void> {
      await (trx ?? db).insertInto('conversations').values(row).execute();
    },
  };
}
