// DELETE /v1/stickerpacks/{pack_id}/stickers/{index} — removes one sticker; the others keep their indices
// (docs/api/stickerpacks.md#delete-a-sticker).
import type { FastifyInstance } from 'fastify';
import { unwrap } from '../../../lib/result.js';
import { emptyEnvelope } from '../../schemas.js';
import type { RouteDeps } from '../deps.js';
import { namespaceQuery, refuseFirstParty, stickerParams, type NamespaceQuery } from './stickerpack-schema.js';

export function registerStickersDelete(app: FastifyInstance, { stickerpacks }: RouteDeps): void {
  app.delete<{ Params: { pack_id: string; index: string }; Querystring: NamespaceQuery }>(
    '/v1/stickerpacks/:pack_id/stickers/:index',
    {
      config: { access: 'admin' },
      schema: {
        summary: 'Remove a sticker',
        description: 'The other stickers keep their indices.',
        params: stickerParams,
        querystring: namespaceQuery,
        response: { 200: emptyEnvelope },
      },
      handler: async (request) => {
        refuseFirstParty(request.query);
        unwrap(await stickerpacks.deleteSticker(request.params.pack_id, Number(request.params.index)));
        return {};
      },
    },
  );
}
