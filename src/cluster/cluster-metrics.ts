// What an operator watches on a cluster: which node leads, how often the lead moves, and whether the notice
// connection keeps dropping.
import { Counter, Gauge } from 'prom-client';
import type { Metrics } from '../metrics.js';

export function createClusterMetrics(metrics: Metrics) {
  const registers = [metrics.registry];
  const metricsOfCluster = {
    leader: new Gauge({
      name: 'openprem_cluster_leader',
      help: '1 while this node holds the leader lease (runs the singleton work), else 0',
      registers,
    }),
    leaderChanges: new Counter({
      name: 'openprem_cluster_leader_changes_total',
      help: 'Times this node took (acquired) or lost the leader lease',
      labelNames: ['change'] as const,
      registers,
    }),
    busReconnects: new Counter({
      name: 'openprem_cluster_bus_reconnects_total',
      help: 'Times the cluster notice connection (LISTEN) was lost and opened again',
      registers,
    }),
  };
  // Present from the start at 0, so alerts see the series before the first change.
  metricsOfCluster.leader.set(0);
  for (const change of ['acquired', 'lost']) metricsOfCluster.leaderChanges.inc({ change }, 0);
  metricsOfCluster.busReconnects.inc(0);
  return metricsOfCluster;
}

export type ClusterMetrics = ReturnType<typeof createClusterMetrics>;
