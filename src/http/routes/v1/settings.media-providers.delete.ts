// DELETE /v1/settings/application/media/providers/{name} — removes one provider; 404 / 1006 if none has that name.
import type { FastifyInstance } from 'fastify';
import { unwrap } from '../../../lib/result.js';
import { emptyEnvelope } from '../../schemas.js';
import type { RouteDeps } from '../deps.js';
import { providerParams } from './settings-schema.js';

export function registerSettingsMediaProvidersDelete(app: FastifyInstance, { settings }: RouteDeps): void {
  app.delete<{ Params: { name: string } }>('/v1/settings/application/media/providers/:name', {
    config: { access: 'admin', audit: { event: 'media provider deleted' } },
    schema: {
      summary: 'Delete a media provider',
      params: providerParams,
      response: { 200: emptyEnvelope },
    },
    handler: async (request) => {
      unwrap(await settings.deleteProvider(request.params.name));
      return {};
    },
  });
}
