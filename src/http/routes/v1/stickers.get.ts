// GET /v1/stickerpacks/{pack_id}/stickers/{index} — one sticker as {"stickers":[{...}]}
// (docs/api/stickerpacks.md#read-a-sticker).
import type { FastifyInstance } from 'fastify';
import { unwrap } from '../../../lib/result.js';
import type { RouteDeps } from '../deps.js';
import {
  namespaceQuery,
  refuseFirstParty,
  stickerParams,
  stickersResponse,
  type NamespaceQuery,
} from './stickerpack-schema.js';

export function registerStickersGet(app: FastifyInstance, { stickerpacks }: RouteDeps): void {
  app.get<{ Params: { pack_id: string; index: string }; Querystring: NamespaceQuery }>(
    '/v1/stickerpacks/:pack_id/stickers/:index',
    {
      config: { access: 'admin' },
      schema: {
        summary: 'Get a sticker',
        params: stickerParams,
        querystring: namespaceQuery,
        response: { 200: stickersResponse },
      },
      handler: async (request) => {
        refuseFirstParty(request.query);
        return {
          stickers: [unwrap(await stickerpacks.getSticker(request.params.pack_id, Number(request.params.index)))],
        };
      },
    },
  );
}
