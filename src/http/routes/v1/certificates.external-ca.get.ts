// GET /v1/certificates/external/ca — the CA certificate(s) a client trusts to reach this server over HTTPS
// (docs/api/certificates.md#read-the-servers-ca-certificates): the intermediates of the uploaded certificate, else the
// CA of the node's self-signed one. None of either: 404 / 1006, in the envelope every error carries (the old API's bare
// 404 had no body).
import type { FastifyInstance } from 'fastify';
import { ApiError } from '../../../errors.js';
import type { RouteDeps } from '../deps.js';
import { sendPem } from './certificates-schema.js';

export function registerCertificatesExternalCaGet(app: FastifyInstance, { certificates }: RouteDeps): void {
  app.get('/v1/certificates/external/ca', {
    config: { access: 'admin' },
    schema: {
      summary: 'Get the CA certificates clients trust for HTTPS',
      description:
        'The intermediates of the uploaded certificate, else the CA of the self-signed one; 404 / 1006 when there is neither.',
      produces: ['text/plain'],
      errorStatuses: [404],
    },
    handler: async (_request, reply) => {
      const pem = await certificates.externalCa();
      if (pem === null)
        throw new ApiError('notFound', 'no certificate was uploaded and this node serves no self-signed one');
      return sendPem(reply, pem);
    },
  });
}
