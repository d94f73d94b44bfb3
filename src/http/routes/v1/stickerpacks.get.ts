// GET /v1/stickerpacks/{pack_id} — one of the business's packs as {"stickerpacks":[{...}]}
// (docs/api/stickerpacks.md#read-a-pack).
import type { FastifyInstance } from 'fastify';
import { unwrap } from '../../../lib/result.js';
import type { RouteDeps } from '../deps.js';
import {
  namespaceQuery,
  packParams,
  packsResponse,
  refuseFirstParty,
  type NamespaceQuery,
} from './stickerpack-schema.js';

export function registerStickerpacksGet(app: FastifyInstance, { stickerpacks }: RouteDeps): void {
  app.get<{ Params: { pack_id: string }; Querystring: NamespaceQuery }>('/v1/stickerpacks/:pack_id', {
    config: { access: 'admin' },
    schema: {
      summary: 'Get a sticker pack',
      params: packParams,
      querystring: namespaceQuery,
      response: { 200: packsResponse },
    },
    handler: async (request) => {
      refuseFirstParty(request.query);
      return { stickerpacks: [unwrap(await stickerpacks.getPack(request.params.pack_id))] };
    },
  });
}
