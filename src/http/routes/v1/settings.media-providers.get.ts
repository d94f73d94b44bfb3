// GET /v1/settings/application/media/providers — the configured media providers
// (docs/api/settings.md#list-the-media-providers). Their credentials are shown, as the old API's response did: clients
// of the old API read them back.
import type { FastifyInstance } from 'fastify';
import type { RouteDeps } from '../deps.js';
import { providersResponse } from './settings-schema.js';

export function registerSettingsMediaProvidersGet(app: FastifyInstance, { settings }: RouteDeps): void {
  app.get('/v1/settings/application/media/providers', {
    config: { access: 'admin' },
    schema: {
      summary: 'List the media providers',
      response: { 200: providersResponse },
    },
    handler: async () => ({ settings: { application: { media: { providers: await settings.listProviders() } } } }),
  });
}
