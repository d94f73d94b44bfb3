// GET /v1/health — the gateway's connection state (docs/api/health-and-metrics.md#health). Exempt from rate and
// concurrency limits. One live node (always so on SQLite): `{"health":{"gateway_status":…}}`. Several nodes on one
// PostgreSQL: one key per live node, "<hostname>:<node id>", with its gateway state as of its last heartbeat and its
// role (primary_master for the leader lease's holder, coreapp for the others:
// docs/api/choices.md#metrics-stats-health).
import type { FastifyInstance } from 'fastify';
import { envelope, withResponseExample } from '../../schemas.js';
import type { RouteDeps } from '../deps.js';

const GATEWAY_STATUS = {
  type: 'string',
  enum: ['connected', 'connecting', 'disconnected', 'uninitialized', 'unregistered'],
} as const;

const healthSchema = {
  type: 'object',
  description:
    'Either {gateway_status} (one node), or one {gateway_status, role} object per live node, keyed "<hostname>:<node id>".',
  properties: { gateway_status: GATEWAY_STATUS },
  additionalProperties: {
    type: 'object',
    properties: { gateway_status: GATEWAY_STATUS, role: { type: 'string', enum: ['primary_master', 'coreapp'] } },
    required: ['gateway_status', 'role'],
  },
} as const;

export function registerHealthGet(app: FastifyInstance, { gateway, cluster }: RouteDeps): void {
  app.get('/v1/health', {
    config: { access: 'user-or-apikey', limit: 'exempt' },
    schema: {
      summary: "Get the gateway's connection state",
      description:
        'One node: `{"health":{"gateway_status"}}`. Several nodes on one PostgreSQL: one entry per live node, keyed "<hostname>:<node id>", with its role.',
      response: {
        200: withResponseExample(envelope({ health: healthSchema }), { health: { gateway_status: 'connected' } }),
      },
    },
    handler: async () => {
      const nodes = await cluster.liveNodes();
      if (nodes.length <= 1) return { health: { gateway_status: gateway.status() } };
      return {
        health: Object.fromEntries(nodes.map((n) => [n.key, { gateway_status: n.gatewayStatus, role: n.role }])),
      };
    },
  });
}
