// DELETE /v1/settings/account/two-step — turns two-step verification off
// (docs/api/profile.md#turn-two-step-verification-off); already off is fine.
import type { FastifyInstance } from 'fastify';
import { unwrap } from '../../../lib/result.js';
import { emptyEnvelope } from '../../schemas.js';
import type { RouteDeps } from '../deps.js';

export function registerTwoStepDisable(app: FastifyInstance, { profile }: RouteDeps): void {
  app.delete('/v1/settings/account/two-step', {
    config: { access: 'admin', audit: { event: 'two-step verification disabled' } },
    schema: {
      summary: 'Turn two-step verification off',
      response: { 200: emptyEnvelope },
    },
    handler: async () => {
      unwrap(await profile.disableTwoStep());
      return {};
    },
  });
}
