// PATCH /v1/stickerpacks/{pack_id}/stickers/{index} — changes the sticker's image and/or emojis
// (docs/api/stickerpacks.md#change-a-sticker).
import type { FastifyInstance } from 'fastify';
import { unwrap } from '../../../lib/result.js';
import type { StickerBody } from '../../../services/stickerpacks.js';
import { emptyEnvelope } from '../../schemas.js';
import type { RouteDeps } from '../deps.js';
import {
  namespaceQuery,
  refuseFirstParty,
  stickerParams,
  stickerUpdateBody,
  type NamespaceQuery,
} from './stickerpack-schema.js';

export function registerStickersUpdate(app: FastifyInstance, { stickerpacks }: RouteDeps): void {
  app.patch<{ Params: { pack_id: string; index: string }; Querystring: NamespaceQuery; Body: StickerBody }>(
    '/v1/stickerpacks/:pack_id/stickers/:index',
    {
      config: { access: 'admin' },
      schema: {
        summary: "Change a sticker's image or emojis",
        params: stickerParams,
        querystring: namespaceQuery,
        body: stickerUpdateBody,
        response: { 200: emptyEnvelope },
      },
      handler: async (request) => {
        refuseFirstParty(request.query);
        unwrap(await stickerpacks.updateSticker(request.params.pack_id, Number(request.params.index), request.body));
        return {};
      },
    },
  );
}
