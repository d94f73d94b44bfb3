// DELETE /v1/stickerpacks/{pack_id} — the pack and its stickers (docs/api/stickerpacks.md#delete-a-pack).
import type { FastifyInstance } from 'fastify';
import { unwrap } from '../../../lib/result.js';
import { emptyEnvelope } from '../../schemas.js';
import type { RouteDeps } from '../deps.js';
import { namespaceQuery, packParams, refuseFirstParty, type NamespaceQuery } from './stickerpack-schema.js';

export function registerStickerpacksDelete(app: FastifyInstance, { stickerpacks }: RouteDeps): void {
  app.delete<{ Params: { pack_id: string }; Querystring: NamespaceQuery }>('/v1/stickerpacks/:pack_id', {
    config: { access: 'admin' },
    schema: {
      summary: 'Delete a sticker pack and its stickers',
      params: packParams,
      querystring: namespaceQuery,
      response: { 200: emptyEnvelope },
    },
    handler: async (request) => {
      refuseFirstParty(request.query);
      unwrap(await stickerpacks.deletePack(request.params.pack_id));
      return {};
    },
  });
}
