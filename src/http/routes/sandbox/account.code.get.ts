// GET /sandbox/account/code — the registration code the sandbox "sent" by SMS or voice, so that a script or a
// test can finish POST /v1/account/verify. 404 / 1006 when no code is pending.
import type { FastifyInstance } from 'fastify';
import { unwrap } from '../../../lib/result.js';
import { formatExpiry } from '../../../services/token-authenticator.js';
import { envelope } from '../../schemas.js';
import type { RouteDeps } from '../deps.js';

const text = { type: 'string' } as const;

export function registerSandboxAccountCodeGet(app: FastifyInstance, { account }: RouteDeps): void {
  app.get('/sandbox/account/code', {
    config: { access: 'admin', limit: 'exempt', apiStatus: 'experimental' },
    schema: {
      summary: 'Get the registration code the sandbox sent',
      description: 'For scripts and tests that finish POST /v1/account/verify; 404 / 1006 when no code is pending.',
      errorStatuses: [404],
      response: {
        200: envelope({
          account: {
            type: 'array',
            items: {
              type: 'object',
              properties: { code: text, method: text, cc: text, phone_number: text, expires_after: text },
            },
          },
        }),
      },
    },
    handler: async () => {
      const { expires_at: expiresAt, ...pending } = unwrap(await account.pendingCode());
      return { account: [{ ...pending, expires_after: formatExpiry(expiresAt) }] };
    },
  });
}
