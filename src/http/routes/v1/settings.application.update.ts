// PATCH /v1/settings/application — a partial change: fields absent from the body stay as they are
// (docs/api/settings.md#change-settings).
import type { FastifyInstance } from 'fastify';
import { unwrap } from '../../../lib/result.js';
import type { SettingsPatch } from '../../../services/settings.js';
import { emptyEnvelope, withExamples } from '../../schemas.js';
import type { RouteDeps } from '../deps.js';
import { settingsPatchSchema } from './settings-schema.js';

export function registerSettingsApplicationUpdate(app: FastifyInstance, { settings }: RouteDeps): void {
  app.patch<{ Body: SettingsPatch }>('/v1/settings/application', {
    config: { access: 'admin', audit: { event: 'application settings changed', fields: true } },
    schema: {
      summary: 'Change application settings',
      description:
        'Only the fields sent change. `webhooks.secret` (16 to 256 characters) signs every callback with X-Hub-Signature-256.',
      body: withExamples(settingsPatchSchema, {
        webhooks: { url: 'http://127.0.0.1:8080/', message: { sent: true, delivered: true, read: true } },
      }),
      response: { 200: emptyEnvelope },
    },
    handler: async (request) => {
      unwrap(await settings.patch(request.body));
      return {};
    },
  });
}
