// Several nodes on one database (docs/api/cluster.md#leader-and-heartbeats). No consensus protocol of our own: the
// database is the coordination point. Every heartbeat_interval (application settings, default 5 s) a node writes its
// registry row (cluster_nodes) and takes or renews the leader lease for unhealthy_interval (default 30 s); nodes unseen
// for unhealthy_interval are not live. /v1/health and /v1/support list the live nodes from here: as read at this node's
// last heartbeat, so that a load balancer polling /v1/health costs no database read (8,500 health checks a second on
// PostgreSQL in bench/results/latest-postgresql.md; two reads each would halve that).
import type { ClusterRepository, NodeRow } from '../db/repositories/cluster.js';
import type { Clock } from '../lib/clock.js';
import { coalescedRun } from '../lib/coalesced-run.js';
import type { ClusterBus } from './bus.js';
import { createLeadership, type SingletonWork } from './leadership.js';
import type { ClusterMetrics } from './cluster-metrics.js';

// A node unseen for an hour is forgotten by the leader; one that comes back registers again at its next heartbeat.
const PRUNE_AFTER_MS = 60 * 60 * 1000;

type NodeRole = 'primary_master' | 'coreapp';

export interface NodeIdentity {
  readonly id: string;
  readonly key: string;
  readonly hostname: string;
  readonly version: string;
  readonly startedAt: number;
}

export interface NodeView {
  key: string;
  hostname: string;
  version: string;
  startedAt: number;
  gatewayStatus: string;
  role: NodeRole;
}

export interface ClusterDeps {
  repository: ClusterRepository;
  bus: ClusterBus;
  node: NodeIdentity;
  /** False on SQLite: one process owns the file, so this node is the only one, whatever the registry holds. */
  multiNode: boolean;
  clock: Clock;
  settings: {
    current(): { heartbeat_interval: number; unhealthy_interval: number };
    onChange(
      listener: (next: { heartbeat_interval: number }, previous: { heartbeat_interval: number }) => void,
    ): unknown;
  };
  gatewayStatus(): string;
  metrics: ClusterMetrics;
  /** Runs on the leader only; `wake` names the work other nodes may wake through the bus. */
  work: readonly (SingletonWork & { name?: string; wake?(): void })[];
  log: { info(obj: object, message: string): void; warn(obj: object, message: string): void };
}

export function createCluster(deps: ClusterDeps) {
  const { repository, bus, node, clock } = deps;
  const leadership = createLeadership({
    repository,
    nodeKey: node.key,
    clock,
    metrics: deps.metrics,
    work: deps.work,
    log: deps.log,
  });
  const unhealthyMs = () => deps.settings.current().unhealthy_interval * 1000;
  let timer: NodeJS.Timeout | null = null;
  let stopped = true;
  // The registry and the lease holder as of the last heartbeat (multi-node only).
  let seen: { rows: NodeRow[]; holder: string | null } = { rows: [], holder: null };
  // This node's gateway status at its last heartbeat: a change is worth a line (connected → disconnected …).
  let lastGatewayStatus: string | null = null;

  const beat = coalescedRun(async () => {
    if (stopped) return;
    const now = clock.now();
    const gatewayStatus = deps.gatewayStatus();
    if (lastGatewayStatus !== null && gatewayStatus !== lastGatewayStatus)
      deps.log.info({ from: lastGatewayStatus, to: gatewayStatus }, 'gateway status changed');
    lastGatewayStatus = gatewayStatus;
    // The lease is renewed (or fenced off) even when the registry write fails: its failure must not skip the renewal.
    const registryError = await repository
      .heartbeat({
        node_key: node.key,
        hostname: node.hostname,
        version: node.version,
        started_at: node.startedAt,
        last_seen_at: now,
        gateway_status: gatewayStatus,
      })
      .then(
        () => null,
        (error: unknown) => error,
      );
    await leadership.renew(unhealthyMs());
    if (registryError) throw registryError;
    if (leadership.isLeader()) await repository.pruneNodes(now - PRUNE_AFTER_MS);
    if (deps.multiNode) {
      const [rows, holder] = await Promise.all([repository.liveNodes(now - unhealthyMs()), leadership.holder(now)]);
      seen = { rows, holder };
    }
  });

  function scheduleNext(): void {
    if (stopped) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      beat()
        .catch((error) => deps.log.warn({ err: error }, 'cluster heartbeat failed; retried at the next one'))
        .finally(scheduleNext);
    }, deps.settings.current().heartbeat_interval * 1000);
    timer.unref();
  }

  // A new heartbeat_interval applies from now, not after the interval armed before it.
  deps.settings.onChange((next, previous) => {
    if (next.heartbeat_interval !== previous.heartbeat_interval) scheduleNext();
  });
  // Another node stopped cleanly and gave the lease up: take it now rather than at the next heartbeat. A node that
  // joined or left: list it (or stop listing it) now.
  bus.on('leader', () => beat());
  bus.on('nodes', () => beat());
  // A node that is not the leader accepted work for the leader's singleton (a send for the network).
  bus.on('work', (name) => {
    if (leadership.isLeader()) wakeHere(name);
  });

  function wakeHere(name: string): void {
    deps.work.find((work) => work.name === name)?.wake?.();
  }

  function view(row: NodeRow, holder: string | null): NodeView {
    return {
      key: row.node_key,
      hostname: row.hostname,
      version: row.version,
      startedAt: Number(row.started_at),
      gatewayStatus: row.gateway_status,
      role: row.node_key === holder ? 'primary_master' : 'coreapp',
    };
  }

  return {
    /** The first heartbeat (registers the node, may take the lead), then one every heartbeat_interval. */
    async start(): Promise<void> {
      stopped = false;
      // A failed first heartbeat (a database blip just after migrating) is retried by the timer, like any other.
      await beat().catch((error) =>
        deps.log.warn({ err: error }, 'first cluster heartbeat failed; retried at the next one'),
      );
      scheduleNext();
      bus.publish('nodes');
    },

    /** One heartbeat now, as the timer does (tests on a manual clock, tools). */
    heartbeat: () => beat(),

    isLeader: () => leadership.isLeader(),

    /** Wakes the leader's singleton `name`: here if this node leads, else through the bus. */
    wake(name: string): void {
      if (leadership.isLeader()) wakeHere(name);
      else bus.publish('work', name);
    },

    /** The live nodes in start order, as of the last heartbeat (this node as of now); this node alone on SQLite. */
    async liveNodes(): Promise<NodeView[]> {
      const self: NodeView = {
        key: node.key,
        hostname: node.hostname,
        version: node.version,
        startedAt: node.startedAt,
        gatewayStatus: deps.gatewayStatus(),
        role: leadership.isLeader() ? 'primary_master' : 'coreapp',
      };
      if (!deps.multiNode) return [self];
      const since = clock.now() - unhealthyMs();
      const others = seen.rows.filter((row) => row.node_key !== node.key && Number(row.last_seen_at) >= since);
      return [self, ...others.map((row) => view(row, seen.holder))].sort(
        (a, b) => a.startedAt - b.startedAt || a.key.localeCompare(b.key),
      );
    },

    /** Stops the heartbeat and the singleton work, gives the lease up and leaves the registry (a clean stop). */
    async stop(): Promise<void> {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
      await beat().catch(() => {});
      try {
        if (await leadership.release()) bus.publish('leader');
        await repository.removeNode(node.key);
        bus.publish('nodes');
      } catch (error) {
        // The lease then runs out on its own and the row stops being live: other nodes take over within unhealthy_interval.
        deps.log.warn({ err: error }, 'could not give the leader lease up; another node takes it when it runs out');
      }
    },
  };
}

export type Cluster = ReturnType<typeof createCluster>;
