// GET /v1/settings/application — the settings in force (docs/api/settings.md#read-the-settings), the webhook secret
// never among them.
import type { FastifyInstance } from 'fastify';
import { withResponseExample } from '../../schemas.js';
import { DEFAULT_SETTINGS } from '../../../services/settings-rules.js';
import type { RouteDeps } from '../deps.js';
import { applicationResponse, applicationView } from './settings-schema.js';

// A fresh sandbox node's settings once the README's walk-through has pointed the webhooks at its receiver.
const APPLICATION_EXAMPLE = applicationView({
  ...DEFAULT_SETTINGS,
  wa_id: '16315550000',
  webhooks: { ...DEFAULT_SETTINGS.webhooks, url: 'http://127.0.0.1:8080/' },
});

export function registerSettingsApplicationGet(app: FastifyInstance, { settings }: RouteDeps): void {
  app.get('/v1/settings/application', {
    config: { access: 'admin' },
    schema: {
      summary: 'Get the application settings',
      description: 'The webhook secret is never shown: `webhooks.secret_set` says whether one is set.',
      response: { 200: withResponseExample(applicationResponse, APPLICATION_EXAMPLE) },
    },
    handler: async () => {
      // Re-read first: an admin behind a load balancer sees a change made through another node at once, not after
      // this node's next refresh. The webhook hot path keeps reading memory.
      await settings.refresh();
      return applicationView(settings.current());
    },
  });
}
