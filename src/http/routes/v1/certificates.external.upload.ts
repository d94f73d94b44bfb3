// POST /v1/certificates/external — one PEM file: the private key, the certificate, then at least one intermediate CA
// certificate (docs/api/certificates.md#upload-the-servers-certificate). Validated, stored for every node on the
// database, and served by nodes with WA_TLS=self-signed from their next start on. Overwrites the previous upload.
import type { FastifyInstance } from 'fastify';
import { unwrap } from '../../../lib/result.js';
import { emptyEnvelope } from '../../schemas.js';
import type { RouteDeps } from '../deps.js';
import { requirePlainTextBody } from './certificates-schema.js';

export function registerCertificatesExternalUpload(app: FastifyInstance, { certificates }: RouteDeps): void {
  app.post<{ Body: string | undefined }>('/v1/certificates/external', {
    config: { access: 'admin', audit: { event: 'external certificate uploaded' } },
    onRequest: requirePlainTextBody,
    schema: {
      summary: 'Upload the HTTPS certificate',
      description:
        'One PEM file: the private key, the certificate, then at least one intermediate CA certificate. Checked, stored for every node on the database, and served by nodes with WA_TLS=self-signed from their next start.',
      consumes: ['text/plain'],
      response: { 200: emptyEnvelope },
    },
    handler: async (request) => {
      unwrap(await certificates.uploadExternal(request.body));
      return {};
    },
  });
}
