// The bus on PostgreSQL: a dedicated connection LISTENs on one channel; notices go out with pg_notify, which
// PostgreSQL delivers when the sending transaction commits (so a rolled-back change announces nothing).
//
// The listening connection can drop (a server restart, a failover, an idle timeout). It is reopened with backoff
// (clusterBusReconnect in src/lib/backoff.ts: 100 ms doubling to 5 s); while it is down the timed refreshes are the
// fallback, and once it is back every handler re-reads (onResync), because notices sent meanwhile went nowhere.
import { sql, type Kysely } from 'kysely';
import pg from 'pg';
import type { Database } from '../db/schema.js';
import { clusterBusReconnect } from '../lib/backoff.js';
import { createNoticeHandlers, decodeNotice, encodeNotice, type ClusterBus, type NoticeKind } from './bus.js';

const CLUSTER_CHANNEL = 'openprem_cluster';
// "work" notices published within 10 ms go out in one statement, each distinct one once: a node accepting thousands
// of sends a second tells the leader about a hundred times a second, not thousands (the leader's network waits
// 10 ms after a wake anyway). Invalidations, rare, leave in the next turn of the event loop: a logout on one node
// is refused by another 14 ms later with the 10 ms wait, 8 ms without; a settings change is in force there 13 ms
// and 4 ms later (bench/cluster-notice.ts, medians, 2 cores at load average 7).
const WORK_COALESCE_MS = 10;

export interface PgBusDeps {
  /** The listener's connection settings: the pool's keep-alive and connect timeout, no statement timeout. */
  clientConfig: pg.ClientConfig;
  /** Sends the NOTIFYs of publish() (the node's pool). */
  db: Kysely<Database>;
  /** This node's id: its own notices come back on the channel and are skipped. */
  origin: string;
  log: { warn(obj: object, message: string): void; info(obj: object, message: string): void };
  onReconnect?(): void;
}

export interface PgBus extends ClusterBus {
  /** The listening connection's backend pid (tests end it with pg_terminate_backend); null while down. */
  listenerPid(): number | null;
}

export function createPgBus(deps: PgBusDeps): PgBus {
  const handlers = createNoticeHandlers(deps.log);
  const pending = new Set<string>();
  let flushTimer: NodeJS.Timeout | null = null;
  let flushDelay = 0;
  let client: pg.Client | null = null;
  let pid: number | null = null;
  let failedReconnects = 0;
  let retryTimer: NodeJS.Timeout | null = null;
  let closed = false;

  const notifyAll = (executor: Kysely<Database>, payloads: readonly string[]) =>
    sql`select ${sql.join(payloads.map((payload) => sql`pg_notify(${CLUSTER_CHANNEL}, ${payload})`))}`.execute(
      executor,
    );

  async function flush(): Promise<void> {
    flushTimer = null;
    const payloads = [...pending];
    pending.clear();
    if (payloads.length === 0) return;
    await notifyAll(deps.db, payloads).catch((error) =>
      deps.log.warn({ err: error }, 'could not send cluster notices; other nodes refresh on their timers'),
    );
  }

  async function connect(): Promise<void> {
    const next = new pg.Client(deps.clientConfig);
    next.on('notification', (message) => {
      const decoded = message.payload === undefined ? null : decodeNotice(message.payload);
      if (decoded && decoded.origin !== deps.origin) void handlers.deliver(decoded.notice);
    });
    next.on('error', () => lost(next));
    next.on('end', () => lost(next));
    try {
      await next.connect();
      await next.query(`LISTEN ${CLUSTER_CHANNEL}`);
      const row = await next.query<{ pid: number }>('select pg_backend_pid() as pid');
      pid = row.rows[0]?.pid ?? null;
    } catch (error) {
      await next.end().catch(() => {});
      throw error;
    }
    if (closed) {
      await next.end().catch(() => {});
      return;
    }
    client = next;
    failedReconnects = 0;
  }

  function lost(which: pg.Client): void {
    if (client !== which) return;
    client = null;
    pid = null;
    which.end().catch(() => {});
    if (!closed) {
      deps.log.warn({}, 'the cluster notice connection was lost; reconnecting (timed refreshes cover the gap)');
      scheduleReconnect();
    }
  }

  function scheduleReconnect(): void {
    if (retryTimer || closed) return;
    retryTimer = setTimeout(
      () => {
        retryTimer = null;
        connect().then(
          async () => {
            if (closed) return;
            deps.log.info({}, 'the cluster notice connection is back; re-reading what notices may have missed');
            deps.onReconnect?.();
            await handlers.resync();
          },
          () => {
            failedReconnects += 1;
            scheduleReconnect();
          },
        );
      },
      clusterBusReconnect(failedReconnects + 1),
    );
    retryTimer.unref();
  }

  return {
    publish(kind: NoticeKind, key = '') {
      pending.add(encodeNotice(deps.origin, { kind, key }));
      const delay = kind === 'work' ? WORK_COALESCE_MS : 0;
      if (flushTimer && flushDelay <= delay) return;
      if (flushTimer) clearTimeout(flushTimer);
      flushDelay = delay;
      flushTimer = setTimeout(() => void flush(), delay);
    },
    async publishIn(trx, kind, key = '') {
      await notifyAll(trx, [encodeNotice(deps.origin, { kind, key })]);
    },
    on: handlers.on,
    onResync: handlers.onResync,
    listenerPid: () => pid,
    async start() {
      // A database that cannot be listened to at start-up is not fatal: the node serves, and keeps trying.
      await connect().catch((error) => {
        deps.log.warn({ err: error }, 'could not listen for cluster notices; retrying (timed refreshes meanwhile)');
        scheduleReconnect();
      });
    },
    async close() {
      closed = true;
      if (retryTimer) clearTimeout(retryTimer);
      if (flushTimer) clearTimeout(flushTimer);
      await flush();
      const last = client;
      client = null;
      await last?.end().catch(() => {});
    },
  };
}
