// POST /v1/stickerpacks/{pack_id}/stickers {image_data_id, emojis} — adds a sticker: the media id of an uploaded WebP
// image and one to three emojis (docs/api/stickerpacks.md#add-a-sticker). Answers its index as
// {"stickers":[{"index"}]}; indices start at 0 and stay with their sticker (a deletion does not renumber the others).
import type { FastifyInstance } from 'fastify';
import { unwrap } from '../../../lib/result.js';
import type { StickerBody } from '../../../services/stickerpacks.js';
import type { RouteDeps } from '../deps.js';
import {
  namespaceQuery,
  packParams,
  refuseFirstParty,
  stickerCreateBody,
  stickersResponse,
  type NamespaceQuery,
} from './stickerpack-schema.js';

export function registerStickersCreate(app: FastifyInstance, { stickerpacks }: RouteDeps): void {
  app.post<{ Params: { pack_id: string }; Querystring: NamespaceQuery; Body: StickerBody }>(
    '/v1/stickerpacks/:pack_id/stickers',
    {
      config: { access: 'admin' },
      schema: {
        summary: 'Add a sticker to a pack',
        description: '`image_data_id` is the media id of an uploaded WebP (512x512, at most 100 KB).',
        params: packParams,
        querystring: namespaceQuery,
        body: stickerCreateBody,
        response: { 200: stickersResponse },
      },
      handler: async (request) => {
        refuseFirstParty(request.query);
        return { stickers: [unwrap(await stickerpacks.addSticker(request.params.pack_id, request.body))] };
      },
    },
  );
}
