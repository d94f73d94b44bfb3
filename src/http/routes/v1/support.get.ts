// GET /v1/support — what a support engineer asks first: role, database, connection, build
// (docs/api/health-and-metrics.md#support), for every live node on the database. This node answers with everything it
// knows of itself; the others with what their registry rows hold (their own /v1/support has the rest).
import type { FastifyInstance } from 'fastify';
import type { NodeView } from '../../../cluster/cluster.js';
import { envelope } from '../../schemas.js';
import type { RouteDeps } from '../deps.js';

const SOCKET_STATE: Record<string, string> = {
  connected: 'UP',
  connecting: 'SC',
  disconnected: 'DN',
  uninitialized: 'UNK',
  unregistered: 'DN',
};

export function registerSupportGet(app: FastifyInstance, { node, gateway, config, clock, cluster }: RouteDeps): void {
  /** The fields every node has, from its registry row. */
  function common(view: NodeView) {
    return {
      multi_connect: false,
      role: view.role,
      // The leader owns the control shard (-1) and shard 0, as an HA primary Coreapp did; the others none
      // (docs/api/health-and-metrics.md#support).
      shards:
        view.role === 'primary_master'
          ? [
              [-1, -1],
              [0, 0],
            ]
          : [],
      context: 'healthcheck',
      db_engine: node.database.engineName,
      db_info: [{ dialect: node.database.dialect }],
      debug_info: config.cloud?.businessNumber ?? config.sandbox.businessNumber,
      description: `OpenPrem ${view.version} (API level ${config.apiLevel}, ${gateway.kind} gateway)`,
      socket_conn: SOCKET_STATE[view.gatewayStatus] ?? 'UNK',
      gateway: gateway.kind,
      uptime_seconds: Math.max(0, Math.floor((clock.now() - view.startedAt) / 1000)),
    };
  }

  app.get('/v1/support', {
    config: { access: 'user' },
    schema: {
      summary: 'Get support information: role, database, connection, build',
      response: { 200: envelope({ support: { type: 'object', additionalProperties: true } }) },
    },
    handler: async () => {
      const nodes = await cluster.liveNodes();
      return {
        support: Object.fromEntries(
          nodes.map((view) => [
            view.key,
            view.key === node.key ? { ...common(view), node_version: process.version } : common(view),
          ]),
        ),
      };
    },
  });
}
