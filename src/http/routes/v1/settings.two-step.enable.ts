// POST /v1/settings/account/two-step {"pin":"123456"} — sets or replaces the two-step verification PIN, six digits
// (docs/api/profile.md#set-the-pin). The PIN is kept only as a scrypt hash: it is compared at re-registration, never
// shown.
import type { FastifyInstance } from 'fastify';
import { unwrap } from '../../../lib/result.js';
import { emptyEnvelope } from '../../schemas.js';
import type { RouteDeps } from '../deps.js';
import { twoStepBodySchema } from './profile-schema.js';

export function registerTwoStepEnable(app: FastifyInstance, { profile }: RouteDeps): void {
  app.post<{ Body: { pin: string } }>('/v1/settings/account/two-step', {
    config: { access: 'admin', audit: { event: 'two-step verification PIN set' } },
    schema: {
      summary: 'Set the two-step verification PIN',
      description: 'Six digits, kept only as a hash.',
      body: twoStepBodySchema,
      response: { 200: emptyEnvelope },
    },
    handler: async (request) => {
      unwrap(await profile.enableTwoStep(request.body.pin));
      return {};
    },
  });
}
