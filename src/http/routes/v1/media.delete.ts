// DELETE /v1/media/{id} — removes a media file (docs/api/media.md#delete-a-file): 200 {"meta"}, 404 / 1006 when there
// is none.
import type { FastifyInstance } from 'fastify';
import { ApiError } from '../../../errors.js';
import { emptyEnvelope } from '../../schemas.js';
import type { RouteDeps } from '../deps.js';
import { mediaParams } from './media-schema.js';

export function registerMediaDelete(app: FastifyInstance, { media }: RouteDeps): void {
  app.delete<{ Params: { id: string } }>('/v1/media/:id', {
    config: { access: 'user' },
    schema: {
      summary: 'Delete a file',
      params: mediaParams,
      response: { 200: emptyEnvelope },
    },
    handler: async (request) => {
      if (!(await media.remove(request.params.id)))
        throw new ApiError('notFound', `media ${request.params.id} not found`);
      return {};
    },
  });
}
