// POST /v1/account — asks for a registration code (docs/api/account-and-registration.md#request-a-registration-code):
// 201 when the number is already registered here, else 202 with the verified name read from the certificate, so that
// the caller can check it.
import type { FastifyInstance } from 'fastify';
import { unwrap } from '../../../lib/result.js';
import type { RequestCodeBody } from '../../../services/account.js';
import { emptyEnvelope, envelope } from '../../schemas.js';
import type { RouteDeps } from '../deps.js';

const text = { type: 'string' } as const;

export function registerAccountRequestCode(app: FastifyInstance, { account }: RouteDeps): void {
  app.post<{ Body: RequestCodeBody }>('/v1/account', {
    config: {
      access: 'admin',
      audit: { event: 'registration code requested', values: ['cc', 'phone_number', 'method'] },
    },
    schema: {
      summary: 'Request a registration code',
      description: '202 when a code was sent by SMS or voice; 201 when the number is already registered.',
      body: {
        type: 'object',
        additionalProperties: false,
        required: ['cc', 'phone_number', 'method', 'cert'],
        properties: { cc: text, phone_number: text, method: text, cert: text, pin: text },
      },
      response: {
        201: emptyEnvelope,
        202: envelope({ account: { type: 'array', items: { type: 'object', properties: { vname: text } } } }),
      },
    },
    handler: async (request, reply) => {
      const outcome = unwrap(await account.requestCode(request.body));
      if (outcome.alreadyRegistered) return reply.code(201).send({});
      return reply.code(202).send({ account: [{ vname: outcome.vname }] });
    },
  });
}
