// The leader lease (docs/api/cluster.md#leader-and-heartbeats; in the old API's words, "Masters race for a DB master
// lease"). Singleton work (the sandbox network's scheduler, the garbage collector, media retention) runs only on the
// node holding the `leader` row of cluster_leases. Each heartbeat takes the lease if it is free or expired, or renews
// it for unhealthy_interval; so when the holder stops renewing, another node takes over within unhealthy_interval
// (+ one heartbeat), and a node that stops cleanly deletes the row and says so on the bus, so another takes over at
// once.
//
// A holder whose lease is not renewed in time stops its work before the lease can run out, whatever kept the renewal
// from happening (the database unreachable, a query hung up to its timeout, a heartbeat_interval longer than
// unhealthy_interval): by then another node may take the lease, and two leaders must not overlap. The fence is a
// timer armed at each renewal, so it fires even while the heartbeat itself is stuck.
import type { ClusterRepository } from '../db/repositories/cluster.js';
import type { Clock } from '../lib/clock.js';
import type { ClusterMetrics } from './cluster-metrics.js';

export const LEADER_LEASE = 'leader';

// The fence fires at 80 % of the lease: 6 s before a default 30 s lease runs out, room for a slow stop of the work
// and for clock drift between nodes (lease times are each node's own clock: keep the nodes on NTP).
const FENCE_FRACTION = 0.8;

/** Work that runs on one node at a time. */
export interface SingletonWork {
  start(): void;
  stop(): Promise<void>;
}

export interface LeadershipDeps {
  repository: ClusterRepository;
  nodeKey: string;
  clock: Clock;
  metrics: ClusterMetrics;
  work: readonly SingletonWork[];
  log: { info(obj: object, message: string): void; warn(obj: object, message: string): void };
}

export function createLeadership(deps: LeadershipDeps) {
  const { repository, nodeKey, clock, metrics } = deps;
  let leading = false;
  let heldUntil = 0;
  let fence: NodeJS.Timeout | null = null;

  function armFence(ttlMs: number, renewalStartedAt: number): void {
    disarmFence();
    const leftMs = ttlMs * FENCE_FRACTION - (performance.now() - renewalStartedAt);
    fence = setTimeout(() => void follow('the lease was not renewed in time'), Math.max(0, leftMs));
    fence.unref();
  }

  function disarmFence(): void {
    if (fence) clearTimeout(fence);
    fence = null;
  }

  async function lead(): Promise<void> {
    if (leading) return;
    leading = true;
    metrics.leader.set(1);
    metrics.leaderChanges.inc({ change: 'acquired' });
    deps.log.info({ node: nodeKey }, 'this node holds the leader lease: it runs the singleton work');
    for (const work of deps.work) work.start();
  }

  async function follow(why: string, level: 'info' | 'warn' = 'warn'): Promise<void> {
    disarmFence();
    if (!leading) return;
    leading = false;
    metrics.leader.set(0);
    metrics.leaderChanges.inc({ change: 'lost' });
    deps.log[level]({ node: nodeKey, why }, 'this node no longer holds the leader lease: its singleton work stops');
    await Promise.all(deps.work.map((work) => work.stop()));
  }

  return {
    isLeader: () => leading,

    /** Takes or renews the lease for `ttlMs`; starts or stops the singleton work to match. */
    async renew(ttlMs: number): Promise<void> {
      const now = clock.now();
      const startedAt = performance.now();
      let held: boolean;
      try {
        held = await repository.acquireLease(LEADER_LEASE, nodeKey, now, now + ttlMs);
      } catch (error) {
        // Read again: the failed query may have waited its whole timeout.
        if (leading && clock.now() >= heldUntil) await follow('the lease could not be renewed before it ran out');
        throw error;
      }
      if (held) {
        heldUntil = now + ttlMs;
        armFence(ttlMs, startedAt);
        await lead();
      } else {
        await follow('another node holds the lease');
      }
    },

    /** Stops the singleton work and gives the lease up (a clean stop); answers whether this node was leading. */
    async release(): Promise<boolean> {
      const was = leading;
      await follow('this node is stopping', 'info');
      if (was) await repository.releaseLease(LEADER_LEASE, nodeKey);
      return was;
    },

    holder: (now: number) => repository.leaseHolder(LEADER_LEASE, now),
  };
}

export type Leadership = ReturnType<typeof createLeadership>;
