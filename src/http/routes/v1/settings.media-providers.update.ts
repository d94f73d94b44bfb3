// POST /v1/settings/application/media/providers — an array of providers, each created or replaced by name
// (docs/api/settings.md#create-or-replace-media-providers). Providers not named in the body stay.
import type { FastifyInstance } from 'fastify';
import { unwrap } from '../../../lib/result.js';
import type { MediaProvider } from '../../../services/settings.js';
import { emptyEnvelope } from '../../schemas.js';
import type { RouteDeps } from '../deps.js';
import { providersBodySchema } from './settings-schema.js';

export function registerSettingsMediaProvidersUpdate(app: FastifyInstance, { settings }: RouteDeps): void {
  app.post<{ Body: MediaProvider[] }>('/v1/settings/application/media/providers', {
    config: { access: 'admin', audit: { event: 'media providers changed', fields: true } },
    schema: {
      summary: 'Create or replace media providers by name',
      description: 'Providers not named in the body stay.',
      body: providersBodySchema,
      response: { 200: emptyEnvelope },
    },
    handler: async (request) => {
      unwrap(await settings.upsertProviders(request.body));
      return {};
    },
  });
}
