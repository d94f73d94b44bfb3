// PATCH /v1/stickerpacks/{pack_id} — changes the fields it names; null or "" removes an app store link
// (docs/api/stickerpacks.md#change-a-pack).
import type { FastifyInstance } from 'fastify';
import { unwrap } from '../../../lib/result.js';
import type { PackBody } from '../../../services/stickerpacks.js';
import { emptyEnvelope } from '../../schemas.js';
import type { RouteDeps } from '../deps.js';
import {
  namespaceQuery,
  packParams,
  packUpdateBody,
  refuseFirstParty,
  type NamespaceQuery,
} from './stickerpack-schema.js';

export function registerStickerpacksUpdate(app: FastifyInstance, { stickerpacks }: RouteDeps): void {
  app.patch<{ Params: { pack_id: string }; Querystring: NamespaceQuery; Body: PackBody }>('/v1/stickerpacks/:pack_id', {
    config: { access: 'admin' },
    schema: {
      summary: 'Change a sticker pack',
      description: 'Only the fields sent change; null or "" removes an app store link.',
      params: packParams,
      querystring: namespaceQuery,
      body: packUpdateBody,
      response: { 200: emptyEnvelope },
    },
    handler: async (request) => {
      refuseFirstParty(request.query);
      unwrap(await stickerpacks.updatePack(request.params.pack_id, request.body ?? {}));
      return {};
    },
  });
}
