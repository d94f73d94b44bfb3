// POST /v1/certificates/webhooks/ca — one or more CA certificates (PEM, concatenated) that sign the webhook receiver's
// certificate (docs/api/certificates.md#upload-the-ca-bundle). Trusted besides the usual roots, without a restart: at
// once on this node, within WA_SETTINGS_REFRESH_MS on the others. Overwrites the previous bundle.
import type { FastifyInstance } from 'fastify';
import { unwrap } from '../../../lib/result.js';
import { emptyEnvelope } from '../../schemas.js';
import type { RouteDeps } from '../deps.js';
import { requirePlainTextBody } from './certificates-schema.js';

export function registerCertificatesWebhooksCaUpload(app: FastifyInstance, { certificates }: RouteDeps): void {
  app.post<{ Body: string | undefined }>('/v1/certificates/webhooks/ca', {
    config: { access: 'admin', audit: { event: 'webhooks CA bundle uploaded' } },
    onRequest: requirePlainTextBody,
    schema: {
      summary: 'Upload the CA bundle trusted for webhook receivers',
      description:
        'One or more CA certificates, PEM, concatenated; trusted besides the usual roots, on every node without a restart.',
      consumes: ['text/plain'],
      response: { 200: emptyEnvelope },
    },
    handler: async (request) => {
      unwrap(await certificates.setWebhooksCa(request.body));
      return {};
    },
  });
}
