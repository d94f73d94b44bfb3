// GET /v1/media/{id} — the file's bytes, streamed, with its Content-Type and Content-Length
// (docs/api/media.md#download-a-file); 404 with no body when there is no such media. Also serves inbound media the
// sandbox downloaded.
import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type { RouteDeps } from '../deps.js';
import { MEDIA_CONTENT_TYPES, mediaParams } from './media-schema.js';

export function registerMediaGet(app: FastifyInstance, { media }: RouteDeps): void {
  app.get<{ Params: { id: string } }>('/v1/media/:id', {
    config: { access: 'user' },
    schema: {
      summary: 'Download a file',
      description: 'The bytes with the Content-Type they were uploaded with, and their Content-Length.',
      produces: MEDIA_CONTENT_TYPES,
      noBodyStatuses: [404],
      params: mediaParams,
    },
    handler: async (request, reply) => {
      // HEAD (Fastify's automatic route) gets the headers alone: an empty stream keeps our Content-Length, where
      // the file's own stream would be read to the end and thrown away.
      const file =
        request.method === 'HEAD'
          ? await media.describe(request.params.id).then((found) => found && { ...found, stream: Readable.from([]) })
          : await media.open(request.params.id);
      if (!file) return reply.code(404).send();
      if (Number.isFinite(file.size)) reply.header('content-length', file.size);
      return (
        reply
          .type(file.mimeType)
          // The bytes are whatever a customer or client sent: never let a browser guess them into something else.
          .header('x-content-type-options', 'nosniff')
          .send(file.stream)
      );
    },
  });
}
