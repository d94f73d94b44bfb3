// POST /v1/stickerpacks {publisher, name, ios_app_store_link?, android_app_store_link?} — a new pack of the business's
// own (docs/api/stickerpacks.md#create-a-pack); answers its id as {"stickerpacks":[{"id"}]}, 200 like every create but
// users, messages and media (docs/api/README.md#success-statuses).
import type { FastifyInstance } from 'fastify';
import { unwrap } from '../../../lib/result.js';
import type { PackBody } from '../../../services/stickerpacks.js';
import type { RouteDeps } from '../deps.js';
import {
  namespaceQuery,
  packCreateBody,
  packsResponse,
  refuseFirstParty,
  type NamespaceQuery,
} from './stickerpack-schema.js';

export function registerStickerpacksCreate(app: FastifyInstance, { stickerpacks }: RouteDeps): void {
  app.post<{ Querystring: NamespaceQuery; Body: PackBody }>('/v1/stickerpacks', {
    config: { access: 'admin' },
    schema: {
      summary: 'Create a sticker pack',
      querystring: namespaceQuery,
      body: packCreateBody,
      response: { 200: packsResponse },
    },
    handler: async (request) => {
      refuseFirstParty(request.query);
      return { stickerpacks: [unwrap(await stickerpacks.createPack(request.body))] };
    },
  });
}
