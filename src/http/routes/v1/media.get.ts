// GET /v1/media/{id} — the file's bytes, streamed, with its Content-Type and Content-Length (reference §4.2);
// 404 with no body when there is no such media. Also serves inbound media the sandbox downloaded.
import type { FastifyInstance } from 'fastify';
import type { RouteDeps } from '../deps.js';
import { mediaParams } from './media-schema.js';

export function registerMediaGet(app: FastifyInstance, { media }: RouteDeps): void {
  app.get<{ Params: { id: string } }>('/v1/media/:id', {
    config: { access: 'user' },
    schema: { params: mediaParams },
    handler: async (request, reply) => {
      const file = await media.open(request.params.id);
      if (!file) return reply.code(404).send();
      return reply
        .type(file.mimeType)
        .header('content-length', file.size)
        // The bytes are whatever a customer or client sent: never let a browser guess them into something else.
        .header('x-content-type-options', 'nosniff')
        .send(file.stream);
    },
  });
}
