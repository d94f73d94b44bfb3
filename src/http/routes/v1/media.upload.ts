// POST /v1/media — the body is the file itself, with its MIME type as Content-Type (no multipart;
// docs/api/media.md#upload-a-file). 201 {"media":[{"id":"<uuid>"}]} once the bytes are durable. The body streams into
// the store: only this route's scope takes any Content-Type and hands the handler the raw request stream instead of a
// parsed body.
import type { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { ApiError } from '../../../errors.js';
import { refuseMethods } from '../../method-not-allowed.js';
import { envelope, withResponseExample } from '../../schemas.js';
import { MEDIA_CONTENT_TYPES } from './media-schema.js';
import type { RouteDeps } from '../deps.js';

const idList = { type: 'array', items: { type: 'object', properties: { id: { type: 'string' } } } } as const;

export function registerMediaUpload(app: FastifyInstance, { media }: RouteDeps): void {
  app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_request, payload, done) => done(null, payload));
    // With a parser for every type, only a header that is not a MIME type at all is left unparsed; anything else
    // goes on to the app's error handler.
    scope.setErrorHandler((error: { code?: string }, request) => {
      if (error.code !== 'FST_ERR_CTP_INVALID_MEDIA_TYPE') throw error;
      const given = String(request.headers['content-type'] ?? '').slice(0, 100);
      throw new ApiError('invalidRequest', `Content-Type "${given}" is not a MIME type such as image/jpeg`);
    });

    scope.post('/v1/media', {
      config: { access: 'user' },
      handler: async (request, reply) => {
        const length = request.headers['content-length'];
        try {
          const id = await media.upload({
            contentType: request.headers['content-type'],
            contentLength: length === undefined ? undefined : Number(length),
            // Not destroyed when the upload is refused part-way: that would reset the socket before the answer.
            body: (request.body as Readable | undefined)?.iterator({ destroyOnReturn: false }),
          });
          return reply.code(201).send({ media: [{ id }] });
        } catch (error) {
          // The connection is not worth keeping for a body that may be large: close it. The rest is still read and
          // thrown away for a bounded while (src/http/connections.ts), so that the client gets this answer.
          reply.header('connection', 'close');
          throw error;
        }
      },
      schema: {
        summary: 'Upload a file (its raw bytes)',
        description:
          'The body is the file itself, with its MIME type as Content-Type: no multipart form. Limits by kind, checked against the bytes: image 5 MB, audio and video 16 MB, sticker (image/webp) 100 KB, document (any other type, or application/octet-stream) 100 MB.',
        consumes: MEDIA_CONTENT_TYPES,
        response: {
          201: withResponseExample(envelope({ media: idList }), {
            media: [{ id: 'f043afd0-f0ae-4b9c-ab3d-696fb4c8cd68' }],
          }),
        },
      },
    });

    // This scope's routes are registered after the app's 405 catch-all is built, so /v1/media brings its own.
    refuseMethods(scope, '/v1/media', ['GET', 'PUT', 'PATCH', 'DELETE'], ['POST']);
  });
}
