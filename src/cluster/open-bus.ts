// Picks the bus for the database: LISTEN/NOTIFY on PostgreSQL, in-process on SQLite.
import type { DatabaseConfig } from '../config.js';
import { postgresClientConfig, type Db } from '../db/database.js';
import type { ClusterBus } from './bus.js';
import type { ClusterMetrics } from './cluster-metrics.js';
import { createLocalBus } from './local-bus.js';
import { createPgBus, type PgBus } from './pg-bus.js';

export function openClusterBus(
  config: DatabaseConfig,
  db: Db,
  origin: string,
  metrics: ClusterMetrics,
  log: { warn(obj: object, message: string): void; info(obj: object, message: string): void },
): ClusterBus & { listenerPid?: PgBus['listenerPid'] } {
  if (config.dialect === 'sqlite') return createLocalBus(config.file, log);
  return createPgBus({
    clientConfig: postgresClientConfig(config, false),
    db,
    origin,
    log,
    onReconnect: () => metrics.busReconnects.inc(),
  });
}
