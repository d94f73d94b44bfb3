// DELETE /v1/certificates/webhooks/ca — back to the usual roots only (docs/api/certificates.md#remove-the-ca-bundle).
// Idempotent: 200 whether or not a bundle was stored, so that a script making sure there is none does not need to read
// first.
import type { FastifyInstance } from 'fastify';
import { emptyEnvelope } from '../../schemas.js';
import type { RouteDeps } from '../deps.js';

export function registerCertificatesWebhooksCaDelete(app: FastifyInstance, { certificates }: RouteDeps): void {
  app.delete('/v1/certificates/webhooks/ca', {
    config: { access: 'admin', audit: { event: 'webhooks CA bundle removed' } },
    schema: {
      summary: 'Remove the webhooks CA bundle',
      description: 'Back to the usual roots only; 200 whether or not a bundle was set.',
      response: { 200: emptyEnvelope },
    },
    handler: async () => {
      await certificates.deleteWebhooksCa();
      return {};
    },
  });
}
