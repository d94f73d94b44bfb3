// GET /v1/certificates/webhooks/ca — the CA bundle the webhook dispatcher trusts
// (docs/api/certificates.md#read-the-ca-bundle); 404 / 1006 if none.
import type { FastifyInstance } from 'fastify';
import { ApiError } from '../../../errors.js';
import type { RouteDeps } from '../deps.js';
import { sendPem } from './certificates-schema.js';

export function registerCertificatesWebhooksCaGet(app: FastifyInstance, { certificates }: RouteDeps): void {
  app.get('/v1/certificates/webhooks/ca', {
    config: { access: 'admin' },
    schema: {
      summary: 'Get the CA bundle trusted for webhook receivers',
      description: '404 / 1006 when none was uploaded.',
      produces: ['text/plain'],
      errorStatuses: [404],
    },
    handler: async (_request, reply) => {
      const pem = await certificates.webhooksCa();
      if (pem === null) throw new ApiError('notFound', 'no webhooks CA certificate was uploaded');
      return sendPem(reply, pem);
    },
  });
}
