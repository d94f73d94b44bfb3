// POST /v1/account/verify — completes the registration with the code sent by SMS or voice
// (docs/api/account-and-registration.md#verify-the-code); 201 (docs/api/README.md#success-statuses). Health then moves
// from `unregistered` through `connecting` to `connected`.
import type { FastifyInstance } from 'fastify';
import { unwrap } from '../../../lib/result.js';
import { emptyEnvelope } from '../../schemas.js';
import type { RouteDeps } from '../deps.js';

export function registerAccountVerify(app: FastifyInstance, { account }: RouteDeps): void {
  app.post<{ Body: { code: string } }>('/v1/account/verify', {
    config: { access: 'admin', audit: { event: 'registration code verified: the business number is registered' } },
    schema: {
      summary: 'Register the number with the code it received',
      body: {
        type: 'object',
        additionalProperties: false,
        required: ['code'],
        properties: { code: { type: 'string' } },
      },
      response: { 201: emptyEnvelope },
    },
    handler: async (request, reply) => {
      unwrap(await account.verify(request.body.code));
      return reply.code(201).send({});
    },
  });
}
