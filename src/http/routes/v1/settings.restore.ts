// POST /v1/settings/restore — puts a backup's configuration in place of this installation's, in one transaction
// (docs/api/settings.md#restore). Unlike the old API, the target may already be registered: the restore replaces its
// registration rather than stopping the node. A wrong password or an altered blob is 400 / 1009 and changes nothing.
import type { FastifyInstance } from 'fastify';
import { unwrap } from '../../../lib/result.js';
import { emptyEnvelope } from '../../schemas.js';
import type { RouteDeps } from '../deps.js';

// A backup is settings, users and templates: far below this even with thousands of templates. The route takes
// more than WA_BODY_LIMIT_BYTES when that is smaller, so that a backup this server made can always come back.
const RESTORE_BODY_LIMIT = 16 * 1024 * 1024;

export function registerSettingsRestore(app: FastifyInstance, { backup, config }: RouteDeps): void {
  app.post<{ Body: { password: string; data: string } }>('/v1/settings/restore', {
    config: { access: 'admin', audit: { event: 'backup restored' } },
    bodyLimit: Math.max(config.bodyLimitBytes, RESTORE_BODY_LIMIT),
    schema: {
      summary: 'Restore a backup',
      description:
        'All or nothing, in one transaction; every session ends. A wrong password or altered data is 400 / 1009 and changes nothing.',
      body: {
        type: 'object',
        additionalProperties: false,
        required: ['password', 'data'],
        properties: { password: { type: 'string' }, data: { type: 'string' } },
      },
      response: { 200: emptyEnvelope },
    },
    handler: async (request) => {
      unwrap(await backup.restore(request.body.password, request.body.data));
      return {};
    },
  });
}
