// Which conversations changed, for the console's live views, on every node: changes committed here are gathered
// for COALESCE_MS and then handed, one batch, to this node's listeners and (one cluster notice) to the other
// nodes', whose listeners get them from the notice. What a listener gets: the customer (`*`: anything may have
// changed, read everything again) and the ids of its changed messages when this node knows them (an empty list:
// it does not, because the change came from another node, or there were too many; read the conversation again).
//
// The cost on the send path is a map entry per message, whether or not a console is open anywhere: no query, and
// one cluster notice per COALESCE_MS at most, however many messages (on PostgreSQL a NOTIFY; on SQLite the
// in-process bus). Measured with bench/run.mjs's send scenario: see the commit that added this file.
import type { ChangedMessage, MessageChanges } from '../../db/repositories/messages.js';

// 200 ms: a live view follows a message through sent → delivered → read (the sandbox's default 100, 400 and
// 1,500 ms) step by step, and well under a human's sense of "at once"; at 1,500 sends/s, each with up to 4 changes,
// one batch carries ~1,200 of them: 5 notices a second per node instead of 6,000.
export const COALESCE_MS = 200;
// A notice holds at most ~7,800 bytes of wa_ids, under NOTIFY's 8,000 with the origin and kind (about 480 of
// 15-digit numbers); a batch with more says `*`.
const MAX_KEY_BYTES = 7800;
// More changed conversations than this in one batch are one `*` for the listeners too: a live view re-reads its
// list once rather than taking hundreds of events five times a second.
const MAX_CONVERSATIONS = 100;
// Ids per conversation in one batch; past it the list is empty (read the conversation again).
const MAX_IDS = 100;

const EVERYTHING = '*';

export interface ConversationChange {
  /** The customer, or `*`. */
  waId: string;
  ids: string[];
}

type ChangesListener = (changes: readonly ConversationChange[]) => void;

export interface ConversationChanges extends MessageChanges {
  /** Hears every batch from now on (this node's and the others'); answers the function that stops it. */
  listen(listener: ChangesListener): () => void;
  /** Sends what is gathered now (shutdown, tests) and stops gathering. */
  close(): void;
}

/** What this needs of the cluster bus (src/cluster/bus.ts fits it): the domain owns the port, the cluster implements it. */
export interface MessageNotices {
  publish(kind: 'messages', key: string): void;
  on(kind: 'messages', handler: (key: string) => void | Promise<void>): void;
  onResync(handler: () => void | Promise<void>): void;
}

export function createConversationChanges(bus: MessageNotices): ConversationChanges {
  const listeners = new Set<ChangesListener>();
  // Ids are kept only while this node has a listener: the other nodes get wa_ids alone.
  let gathered = new Map<string, string[] | null>();
  let timer: NodeJS.Timeout | null = null;
  let closed = false;

  // Called from a timer: one listener's failure (a stream already gone) must neither reach the others nor the process.
  const tell = (changes: readonly ConversationChange[]) => {
    for (const listener of listeners) {
      try {
        listener(changes);
      } catch {
        // Its stream ends on its own; the other listeners have heard.
      }
    }
  };

  function flush(): void {
    timer = null;
    const batch = gathered;
    gathered = new Map();
    if (batch.size === 0) return;
    const key = [...batch.keys()].join(',');
    bus.publish('messages', Buffer.byteLength(key) > MAX_KEY_BYTES ? EVERYTHING : key);
    if (listeners.size === 0) return;
    tell(
      batch.size > MAX_CONVERSATIONS
        ? [{ waId: EVERYTHING, ids: [] }]
        : [...batch].map(([waId, ids]) => ({ waId, ids: ids ?? [] })),
    );
  }

  bus.on('messages', (key) => {
    if (listeners.size === 0) return;
    const waIds = key === EVERYTHING ? [] : key.split(',').filter(Boolean);
    tell(
      key === EVERYTHING || waIds.length > MAX_CONVERSATIONS
        ? [{ waId: EVERYTHING, ids: [] }]
        : waIds.map((waId) => ({ waId, ids: [] })),
    );
  });
  // Notices sent while the bus was down were lost: anything may have changed.
  bus.onResync(() => tell([{ waId: EVERYTHING, ids: [] }]));

  return {
    committed(changes: readonly ChangedMessage[]): void {
      if (closed || changes.length === 0) return;
      const keepIds = listeners.size > 0;
      for (const { waId, id } of changes) {
        const ids = gathered.get(waId);
        if (!keepIds || ids === null) gathered.set(waId, null);
        else if (ids === undefined) gathered.set(waId, [id]);
        else if (ids.length < MAX_IDS) ids.push(id);
        else gathered.set(waId, null);
      }
      if (!timer) {
        timer = setTimeout(flush, COALESCE_MS);
        timer.unref();
      }
    },
    listen(listener: ChangesListener): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close(): void {
      closed = true;
      if (timer) clearTimeout(timer);
      flush();
      listeners.clear();
    },
  };
}
