// GET /v1/stickerpacks/{pack_id}/stickers — the pack's stickers by index
// (docs/api/stickerpacks.md#list-a-packs-stickers).
import type { FastifyInstance } from 'fastify';
import { unwrap } from '../../../lib/result.js';
import type { RouteDeps } from '../deps.js';
import {
  namespaceQuery,
  packParams,
  refuseFirstParty,
  stickersResponse,
  type NamespaceQuery,
} from './stickerpack-schema.js';

export function registerStickersList(app: FastifyInstance, { stickerpacks }: RouteDeps): void {
  app.get<{ Params: { pack_id: string }; Querystring: NamespaceQuery }>('/v1/stickerpacks/:pack_id/stickers', {
    config: { access: 'admin' },
    schema: {
      summary: "List a pack's stickers",
      params: packParams,
      querystring: namespaceQuery,
      response: { 200: stickersResponse },
    },
    handler: async (request) => {
      refuseFirstParty(request.query);
      return { stickers: unwrap(await stickerpacks.listStickers(request.params.pack_id)) };
    },
  });
}
