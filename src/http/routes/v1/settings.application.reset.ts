// DELETE /v1/settings/application — every application setting back to its default
// (docs/api/settings.md#reset-the-settings). Media providers are a separate resource and stay.
import type { FastifyInstance } from 'fastify';
import { emptyEnvelope } from '../../schemas.js';
import type { RouteDeps } from '../deps.js';

export function registerSettingsApplicationReset(app: FastifyInstance, { settings }: RouteDeps): void {
  app.delete('/v1/settings/application', {
    config: { access: 'admin', audit: { event: 'application settings reset to the defaults' } },
    schema: {
      summary: 'Reset every application setting to its default',
      description: 'Media providers stay.',
      response: { 200: emptyEnvelope },
    },
    handler: async () => {
      await settings.reset();
      return {};
    },
  });
}
