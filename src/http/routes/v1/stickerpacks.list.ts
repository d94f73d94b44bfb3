// GET /v1/stickerpacks — the business's own sticker packs, oldest first (docs/api/stickerpacks.md#list-the-packs).
import type { FastifyInstance } from 'fastify';
import type { RouteDeps } from '../deps.js';
import { namespaceQuery, packsResponse, refuseFirstParty, type NamespaceQuery } from './stickerpack-schema.js';

export function registerStickerpacksList(app: FastifyInstance, { stickerpacks }: RouteDeps): void {
  app.get<{ Querystring: NamespaceQuery }>('/v1/stickerpacks', {
    config: { access: 'admin' },
    schema: {
      summary: "List the business's sticker packs",
      querystring: namespaceQuery,
      response: { 200: packsResponse },
    },
    handler: async (request) => {
      refuseFirstParty(request.query);
      return { stickerpacks: await stickerpacks.listPacks() };
    },
  });
}
