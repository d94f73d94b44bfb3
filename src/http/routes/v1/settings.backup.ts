// POST /v1/settings/backup — the installation's configuration, encrypted with the password
// (docs/api/settings.md#back-up): {"settings":{"data":"<blob>"}}. Only while the number is registered, as the old API
// (503 / 1011 otherwise).
import type { FastifyInstance } from 'fastify';
import { unwrap } from '../../../lib/result.js';
import { envelope } from '../../schemas.js';
import type { RouteDeps } from '../deps.js';

export function registerSettingsBackup(app: FastifyInstance, { backup }: RouteDeps): void {
  app.post<{ Body: { password: string } }>('/v1/settings/backup', {
    config: { access: 'admin', needsRegistration: true, audit: { event: 'backup taken' } },
    schema: {
      summary: 'Back up the configuration, encrypted with a password',
      description:
        'Users, settings, sandbox templates and the registration, sealed with the password. Only while the number is registered.',
      body: {
        type: 'object',
        additionalProperties: false,
        required: ['password'],
        properties: { password: { type: 'string' } },
      },
      response: { 200: envelope({ settings: { type: 'object', properties: { data: { type: 'string' } } } }) },
    },
    handler: async (request) => ({ settings: { data: unwrap(await backup.create(request.body.password)) } }),
  });
}
