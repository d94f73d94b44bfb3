// The invalidation bus: after a node changed something other nodes keep in memory (a revoked token, the settings,
// the registration…), it tells them, and they drop or re-read their copy at once instead of at their next timed
// refresh (WA_SETTINGS_REFRESH_MS, WA_TOKEN_CACHE_MS). The timers stay: they are the fallback when a notice is lost.
// A notice is small, a kind and a key (a token hash, a username, a wa_id); it carries no data, only "re-read".
//
// On PostgreSQL the notices travel by LISTEN/NOTIFY (pg-bus.ts). On SQLite one process owns the database, so the
// bus is in-process: it joins the nodes of this process that opened the same file (tests run several).
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';

export type NoticeKind =
  /** key: a token hash (logout). */
  | 'token'
  /** key: a username (password change, deletion). */
  | 'user'
  /** Every user was replaced (a restore). */
  | 'users'
  | 'settings'
  | 'account'
  | 'certificates'
  /** key: the wa_id whose identity changed. */
  | 'identity'
  | 'templates'
  /** key: the worker that has new work (`network`): the leader runs it. */
  | 'work'
  /** The leader lease was released: take it now. */
  | 'leader'
  /** A node joined or left: heartbeat now, so that health and support list it. */
  | 'nodes'
  /** key: the wa_ids whose messages changed, comma-joined, or `*` (src/services/live/conversation-changes.ts). */
  | 'messages';

export interface Notice {
  kind: NoticeKind;
  key: string;
}

export type NoticeHandler = (key: string) => void | Promise<void>;

export interface ClusterBus {
  /** Tells the other nodes, after the change committed. Never throws: a lost notice is covered by the timers. */
  publish(kind: NoticeKind, key?: string): void;
  /** Tells the other nodes when `trx` commits (PostgreSQL: NOTIFY inside it), or at once where that is not possible. */
  publishIn(trx: Kysely<Database>, kind: NoticeKind, key?: string): Promise<void>;
  /** Handles the other nodes' notices of `kind` (a node never receives its own). */
  on(kind: NoticeKind, handler: NoticeHandler): void;
  /** Runs after the bus lost its connection and got it back: notices sent meanwhile are lost, re-read everything. */
  onResync(handler: () => void | Promise<void>): void;
  start(): Promise<void>;
  close(): Promise<void>;
}

/** The registry of handlers, shared by both transports; a failing handler is logged, never thrown to the sender. */
export function createNoticeHandlers(log: { warn(obj: object, message: string): void }) {
  const handlers = new Map<NoticeKind, NoticeHandler[]>();
  const resyncs: (() => void | Promise<void>)[] = [];
  const guard = async (run: () => void | Promise<void>, what: object) => {
    try {
      await run();
    } catch (error) {
      log.warn({ err: error, ...what }, 'a cluster notice handler failed; the timed refresh covers it');
    }
  };
  return {
    on(kind: NoticeKind, handler: NoticeHandler): void {
      handlers.set(kind, [...(handlers.get(kind) ?? []), handler]);
    },
    onResync(handler: () => void | Promise<void>): void {
      resyncs.push(handler);
    },
    async deliver(notice: Notice): Promise<void> {
      for (const handler of handlers.get(notice.kind) ?? []) await guard(() => handler(notice.key), { notice });
    },
    async resync(): Promise<void> {
      await Promise.all(resyncs.map((handler) => guard(handler, { resync: true })));
    },
  };
}

const KINDS: ReadonlySet<string> = new Set<NoticeKind>([
  'token',
  'user',
  'users',
  'settings',
  'account',
  'certificates',
  'identity',
  'templates',
  'work',
  'leader',
  'nodes',
  'messages',
]);

/** `<origin node id> <kind> <key>`: under 100 bytes, far below NOTIFY's 8,000-byte limit, but for `messages` (under 7,900). */
export function encodeNotice(origin: string, notice: Notice): string {
  return `${origin} ${notice.kind} ${notice.key}`;
}

export function decodeNotice(text: string): { origin: string; notice: Notice } | null {
  const first = text.indexOf(' ');
  const second = text.indexOf(' ', first + 1);
  if (first < 0 || second < 0) return null;
  const kind = text.slice(first + 1, second);
  if (!KINDS.has(kind)) return null;
  return { origin: text.slice(0, first), notice: { kind: kind as NoticeKind, key: text.slice(second + 1) } };
}
