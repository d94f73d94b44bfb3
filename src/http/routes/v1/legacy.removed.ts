// Endpoints the old API could be called with that OpenPrem answers 404 / 1006 on purpose, each with a `details` that
// says why (docs/api/README.md#removed-endpoints, docs/api/stickerpacks.md), instead of the generic "no such endpoint":
// - the legacy Groups API, removed from later On-Premises versions, for every method and every path under it;
// - /v1/stats/app/internal and /v1/stats/db/internal, listed in Meta's request collection with no documented answer.
// (/services/message/gc was listed here until Meta's collection showed its method: services.message-gc.ts.)
// They are authenticated like their neighbours, so an anonymous caller learns nothing from them.
import type { FastifyInstance, HTTPMethods } from 'fastify';
import { ApiError } from '../../../errors.js';
import type { AccessPolicy } from '../../types.js';

const ALL_METHODS: HTTPMethods[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

interface RemovedEndpoint {
  urls: string[];
  methods: HTTPMethods[];
  access: AccessPolicy;
  details: string;
}

export const REMOVED_ENDPOINTS: readonly RemovedEndpoint[] = [
  {
    urls: ['/v1/groups', '/v1/groups/*'],
    methods: ALL_METHODS,
    access: 'admin',
    details:
      'the Groups API (/v1/groups) was removed from the On-Premises API in its later versions; OpenPrem emulates the last line (v2.53) and has no groups',
  },
  {
    urls: ['/v1/stats/app/internal', '/v1/stats/db/internal'],
    methods: ['GET'],
    access: 'user-or-apikey',
    details:
      "internal stats were Meta's support figures and their content is not documented; OpenPrem serves /v1/stats/app and /v1/stats/db",
  },
];

export function registerRemovedEndpoints(app: FastifyInstance): void {
  for (const endpoint of REMOVED_ENDPOINTS) {
    for (const url of endpoint.urls) {
      const removed = async () => {
        throw new ApiError('notFound', endpoint.details);
      };
      // Refused once authenticated, before any body is read: whatever a client sends (a group icon, say), the
      // answer is the same 404. No operation of the OpenAPI document (`hide`).
      app.route({
        method: endpoint.methods,
        url,
        config: { access: endpoint.access },
        schema: { hide: true },
        onRequest: removed,
        handler: removed,
      });
    }
  }
}
