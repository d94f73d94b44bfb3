// The status path's two kinds of change side by side, on an in-memory repository: an observed change (the sandbox)
// counts and calls back only when it moves its row; a reported one (Cloud) is counted and forwarded every time.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Transaction } from 'kysely';
import type { ConversationRow, MessageRow } from '../../db/repositories/messages.js';
import type { Database } from '../../db/schema.js';
import { ERROR_TITLES } from '../../errors.js';
import { DEFAULT_SETTINGS, type ApplicationSettings } from '../settings-rules.js';
import {
  follows,
  recordStatuses,
  type RecordedStatuses,
  type ReportedStatus,
  type StatusContext,
  type StatusRepository,
} from './statuses.js';

const trx = {} as Transaction<Database>;
const settings: ApplicationSettings = { ...structuredClone(DEFAULT_SETTINGS), wa_id: '15550001111' };

function outbound(id: string, columns: Partial<MessageRow> = {}): MessageRow {
  return {
    id,
    direction: 'out',
    wa_id: '15550002222',
    type: 'text',
    content: '{"message":{"text":{"body":"hi"}}}',
    status: 'accepted',
    context_id: null,
    error_code: null,
    category: 'marketing',
    conversation_id: null,
    created_at: 1000,
    sent_at: null,
    delivered_at: null,
    read_at: null,
    updated_at: 1000,
    ...columns,
  };
}

/** The columns of `after` that differ from `before`. */
function changedColumns(before: MessageRow, after: MessageRow): Partial<MessageRow> {
  const keys = Object.keys(after) as (keyof MessageRow)[];
  return Object.fromEntries(keys.filter((k) => after[k] !== before[k]).map((k) => [k, after[k]]));
}

/**
 * The messages repository's status methods over memory: each written row as the columns it changed since `start`
 * (the rows as the test made them), and the conversations opened.
 */
function memory() {
  const updates: { id: string; columns: Partial<MessageRow> }[] = [];
  const conversations = new Map<string, ConversationRow>();
  const initial = new Map<string, MessageRow>();
  const messages: StatusRepository = {
    writeStatuses: async (rows) => {
      for (const row of rows) updates.push({ id: row.id, columns: changedColumns(initial.get(row.id)!, row) });
    },
    conversation: async (id) => conversations.get(id),
    openConversation: async (waId, category, at) =>
      [...conversations.values()].find((c) => c.wa_id === waId && c.category === category && c.expires_at > at),
    openNewConversation: async (row) => void conversations.set(row.id, row),
  };
  return {
    updates,
    conversations,
    /** Remembers the rows as they are before the call. */
    start<T extends Map<string, MessageRow>>(rows: T): T {
      for (const [id, row] of rows) initial.set(id, row);
      return rows;
    },
    context: (over: Partial<ApplicationSettings> = {}): StatusContext => ({
      settings: { ...settings, ...over },
      messages,
    }),
  };
}

/** The status objects of the callbacks, in order. */
const statusesOf = (recorded: RecordedStatuses) =>
  recorded.callbacks.map((c) => (c.payload as { statuses: Record<string, unknown>[] }).statuses[0]);

function reported(
  messageId: string,
  status: ReportedStatus['status'],
  more: Partial<ReportedStatus> = {},
): ReportedStatus {
  return {
    messageId,
    status,
    at: 5000,
    payload: { id: messageId, status, from: 'meta' },
    errorCode: null,
    conversationId: null,
    category: null,
    ...more,
  };
}

describe('follows', () => {
  it('lets statuses only move forward, and a message fail only before delivery', () => {
    assert.equal(follows('accepted', 'sent'), true);
    assert.equal(follows('sent', 'read'), true);
    assert.equal(follows('delivered', 'delivered'), false);
    assert.equal(follows('read', 'delivered'), false);
    assert.equal(follows('sent', 'failed'), true);
    assert.equal(follows('delivered', 'failed'), false);
    assert.equal(follows('failed', 'read'), false);
  });
});

describe('recordStatuses, observed by the simulated network', () => {
  it('opens a priced conversation on sent and calls back once per status, however often it is observed', async () => {
    const { updates, conversations, context, start } = memory();
    const rows = start(new Map([['m1', outbound('m1')]]));
    const changes = [
      { messageId: 'm1', status: 'sent', at: 2000 },
      { messageId: 'm1', status: 'delivered', at: 3000 },
      { messageId: 'm1', status: 'delivered', at: 3500 },
    ] as const;
    const recorded = await recordStatuses(trx, rows, changes, context({ sent_status: true }));
    const [opened] = conversations.keys();
    // Written once, with both moves.
    assert.deepEqual(updates, [
      {
        id: 'm1',
        columns: { status: 'delivered', updated_at: 3000, sent_at: 2000, delivered_at: 3000, conversation_id: opened },
      },
    ]);
    assert.deepEqual(
      recorded.counts.map((c) => c.direction === 'out' && c.status),
      ['sent', 'delivered'],
    );
    assert.deepEqual(recorded.changed, [
      { waId: '15550002222', id: 'm1' },
      { waId: '15550002222', id: 'm1' },
    ]);
    const [sent, delivered] = statusesOf(recorded);
    assert.deepEqual(sent?.conversation, {
      id: opened,
      expiration_timestamp: 2 + 24 * 60 * 60,
      origin: { type: 'marketing' },
    });
    assert.deepEqual(delivered?.pricing, { billable: true, pricing_model: 'CBP', category: 'marketing' });
    assert.equal(rows.get('m1')?.status, 'delivered');
  });

  it('writes a failure with its code and title, and nothing for a status that cannot follow', async () => {
    const { updates, context, start } = memory();
    const rows = start(
      new Map([
        ['m1', outbound('m1', { status: 'read' })],
        ['m2', outbound('m2', { status: 'sent' })],
      ]),
    );
    const recorded = await recordStatuses(
      trx,
      rows,
      [
        { messageId: 'm1', status: 'failed', at: 2000, error: { code: 410 } },
        { messageId: 'm2', status: 'failed', at: 2000, error: { code: 410, details: 'ttl' } },
      ],
      context(),
    );
    assert.deepEqual(updates, [{ id: 'm2', columns: { status: 'failed', updated_at: 2000, error_code: 410 } }]);
    assert.deepEqual(recorded.counts, [{ direction: 'out', status: 'failed', type: 'text', code: 410 }]);
    assert.deepEqual(
      statusesOf(recorded).map((status) => status?.errors),
      [[{ code: 410, title: ERROR_TITLES[410], details: 'ttl' }]],
    );
    assert.deepEqual(
      recorded.callbacks.map((c) => c.orderingKey),
      ['m2'],
    );
  });
});

describe('recordStatuses, reported by the network', () => {
  it('forwards and counts a status that arrives after a later one, leaving the row as it is', async () => {
    const { updates, context, start } = memory();
    const rows = start(new Map([['m1', outbound('m1', { status: 'read' })]]));
    const recorded = await recordStatuses(trx, rows, [reported('m1', 'delivered')], context());
    assert.deepEqual(updates, []);
    assert.deepEqual(recorded.changed, []);
    assert.deepEqual(recorded.counts, [{ direction: 'out', status: 'delivered', type: 'text', code: null }]);
    assert.deepEqual(recorded.callbacks, [
      { kind: 'status', payload: { statuses: [{ id: 'm1', status: 'delivered', from: 'meta' }] }, orderingKey: 'm1' },
    ]);
  });

  it("takes Meta's conversation and category only for a row that has none", async () => {
    const { updates, context, start } = memory();
    const rows = start(
      new Map([
        ['m1', outbound('m1', { category: null })],
        ['m2', outbound('m2', { conversation_id: 'ours' })],
      ]),
    );
    await recordStatuses(
      trx,
      rows,
      [
        reported('m1', 'sent', { conversationId: 'meta-1', category: 'utility' }),
        reported('m2', 'sent', { conversationId: 'meta-2', category: 'utility' }),
      ],
      context(),
    );
    assert.deepEqual(updates, [
      {
        id: 'm1',
        columns: { status: 'sent', updated_at: 5000, sent_at: 5000, conversation_id: 'meta-1', category: 'utility' },
      },
      { id: 'm2', columns: { status: 'sent', updated_at: 5000, sent_at: 5000 } },
    ]);
  });

  it('writes a reported failure with its code, and takes no conversation or category with it', async () => {
    const { updates, context, start } = memory();
    const rows = start(new Map([['m1', outbound('m1', { category: null })]]));
    await recordStatuses(
      trx,
      rows,
      [reported('m1', 'failed', { errorCode: 470, conversationId: 'meta-1', category: 'utility' })],
      context(),
    );
    assert.deepEqual(updates, [{ id: 'm1', columns: { status: 'failed', updated_at: 5000, error_code: 470 } }]);
  });

  it('always forwards deleted and warning without moving the row, and counts statuses of unknown messages', async () => {
    const { updates, context, start } = memory();
    const rows = start(new Map([['m1', outbound('m1', { status: 'sent' })]]));
    const quiet = {
      webhooks: { ...settings.webhooks, message: { sent: false, delivered: false, read: false } },
      sent_status: false,
    };
    const recorded = await recordStatuses(
      trx,
      rows,
      [reported('m1', 'deleted'), reported('m1', 'warning'), reported('gone', 'read'), reported('m1', 'delivered')],
      context(quiet),
    );
    assert.deepEqual(updates, [{ id: 'm1', columns: { status: 'delivered', updated_at: 5000, delivered_at: 5000 } }]);
    assert.deepEqual(
      recorded.callbacks.map((c) => c.orderingKey),
      ['m1', 'm1'],
    );
    assert.deepEqual(
      recorded.counts.map((c) => c.direction === 'out' && [c.status, c.type]),
      [
        ['deleted', 'text'],
        ['warning', 'text'],
        ['read', 'unknown'],
        ['delivered', 'text'],
      ],
    );
  });
});
