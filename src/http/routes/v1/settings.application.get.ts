// GET /v1/settings/application — the settings in force (reference §5.1), the webhook secret never among them.
import type { FastifyInstance } from 'fastify';
import type { RouteDeps } from '../deps.js';
import { applicationResponse, applicationView } from './settings-schema.js';

export function registerSettingsApplicationGet(app: FastifyInstance, { settings }: RouteDeps): void {
  app.get('/v1/settings/application', {
    config: { access: 'admin' },
    schema: { response: { 200: applicationResponse } },
    handler: async () => {
      // Re-read first: an admin behind a load balancer sees a change made through another node at once, not after
      // this node's next refresh. The webhook hot path keeps reading memory.
      await settings.refresh();
      return applicationView(settings.current());
    },
  });
}
