import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { NoticeHandler, NoticeKind } from '../../cluster/bus.js';
import { COALESCE_MS, createConversationChanges, type ConversationChange } from './conversation-changes.js';

/** The bus as the gatherer uses it: what it publishes, and a way to hand it the other nodes' notices. */
function recordingBus() {
  const published: { kind: NoticeKind; key: string }[] = [];
  const handlers = new Map<string, NoticeHandler>();
  let resync: (() => void) | null = null;
  return {
    published,
    bus: {
      publish: (kind: NoticeKind, key = '') => void published.push({ kind, key }),
      on: (kind: NoticeKind, handler: NoticeHandler) => void handlers.set(kind, handler),
      onResync: (handler: () => void) => {
        resync = handler;
      },
    },
    notice: (key: string) => handlers.get('messages')!(key),
    resync: () => resync!(),
  };
}

describe('conversation changes', () => {
  it('hands one batch per window to the listeners, with ids, and one notice with the wa_ids to the other nodes', async () => {
    const { bus, published } = recordingBus();
    const changes = createConversationChanges(bus);
    const heard: (readonly ConversationChange[])[] = [];
    changes.listen((batch) => heard.push(batch));
    changes.committed([
      { waId: '16315550001', id: 'wamid.a' },
      { waId: '16315550002', id: 'wamid.b' },
    ]);
    changes.committed([{ waId: '16315550001', id: 'wamid.c' }]);
    assert.deepEqual(published, [], 'nothing leaves before the window ends');
    await new Promise((resolve) => setTimeout(resolve, COALESCE_MS + 50));
    assert.deepEqual(published, [{ kind: 'messages', key: '16315550001,16315550002' }]);
    assert.deepEqual(heard, [
      [
        { waId: '16315550001', ids: ['wamid.a', 'wamid.c'] },
        { waId: '16315550002', ids: ['wamid.b'] },
      ],
    ]);
    changes.close();
  });

  it('keeps no ids while nobody listens on this node, and still tells the other nodes', () => {
    const { bus, published } = recordingBus();
    const changes = createConversationChanges(bus);
    changes.committed([{ waId: '16315550001', id: 'wamid.a' }]);
    const heard: (readonly ConversationChange[])[] = [];
    changes.listen((batch) => heard.push(batch));
    changes.committed([{ waId: '16315550001', id: 'wamid.b' }]);
    changes.close();
    assert.deepEqual(published, [{ kind: 'messages', key: '16315550001' }]);
    assert.deepEqual(
      heard,
      [[{ waId: '16315550001', ids: [] }]],
      'the ids of the batch are not all known: none is given',
    );
  });

  it('says `*` when a batch is too large for a notice or for the listeners', () => {
    const { bus, published } = recordingBus();
    const changes = createConversationChanges(bus);
    const heard: (readonly ConversationChange[])[] = [];
    changes.listen((batch) => heard.push(batch));
    changes.committed(Array.from({ length: 700 }, (_, i) => ({ waId: String(163155500000 + i), id: `wamid.${i}` })));
    changes.close();
    assert.deepEqual(
      published,
      [{ kind: 'messages', key: '*' }],
      '700 wa_ids of 12 digits are over the 7,800 bytes of a notice',
    );
    assert.deepEqual(heard, [[{ waId: '*', ids: [] }]]);
  });

  it('gives more than 100 ids of one conversation as none', () => {
    const { bus } = recordingBus();
    const changes = createConversationChanges(bus);
    const heard: (readonly ConversationChange[])[] = [];
    changes.listen((batch) => heard.push(batch));
    changes.committed(Array.from({ length: 101 }, (_, i) => ({ waId: '16315550001', id: `wamid.${i}` })));
    changes.close();
    assert.deepEqual(heard, [[{ waId: '16315550001', ids: [] }]]);
  });

  it("passes the other nodes' notices on without ids, and `*` after the bus lost notices", () => {
    const { bus, notice, resync } = recordingBus();
    const changes = createConversationChanges(bus);
    const heard: (readonly ConversationChange[])[] = [];
    notice('16315550001');
    assert.equal(heard.length, 0, 'nobody listens yet');
    changes.listen((batch) => heard.push(batch));
    notice('16315550001,16315550002');
    notice('*');
    resync();
    assert.deepEqual(heard, [
      [
        { waId: '16315550001', ids: [] },
        { waId: '16315550002', ids: [] },
      ],
      [{ waId: '*', ids: [] }],
      [{ waId: '*', ids: [] }],
    ]);
    changes.close();
  });
});
