// GET /v1/support — what a support engineer asks first: role, database, connection, build (reference §7.4).
import type { FastifyInstance } from 'fastify';
import { envelope } from '../../schemas.js';
import type { RouteDeps } from '../deps.js';

const SOCKET_STATE = { connected: 'UP', connecting: 'SC', disconnected: 'DN', uninitialized: 'UNK', unregistered: 'DN' } as const;

export function registerSupportGet(app: FastifyInstance, { node, db, gateway, config, clock }: RouteDeps): void {
  app.get('/v1/support', {
    config: { access: 'user' },
    schema: { response: { 200: envelope({ support: { type: 'object', additionalProperties: true } }) } },
    handler: async () => ({
      support: {
        [node.key]: {
          multi_connect: false,
          role: 'primary_master',
          // A single node owns the control shard (-1) and shard 0, as an HA primary Coreapp did.
          shards: [[-1, -1], [0, 0]],
          context: 'healthcheck',
          db_engine: db.engineName,
          db_info: [{ dialect: db.dialect }],
          debug_info: config.sandbox.businessNumber,
          description: `OpenPrem ${node.version} (API level ${config.apiLevel}, ${gateway.kind} gateway)`,
          socket_conn: SOCKET_STATE[gateway.status()],
          gateway: gateway.kind,
          uptime_seconds: Math.floor((clock.now() - node.startedAt) / 1000),
          node_version: process.version,
        },
      },
    }),
  });
}
