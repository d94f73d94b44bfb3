// POST /v1/users/login — Basic credentials in, bearer token out (docs/api/users-and-auth.md#log-in).
import type { FastifyInstance } from 'fastify';
import { ApiError } from '../../../errors.js';
import { unwrap } from '../../../lib/result.js';
import { envelope, withExamples, withResponseExample } from '../../schemas.js';
import type { RouteDeps } from '../deps.js';

interface LoginBody {
  new_password?: string;
}

const bodySchema = {
  type: 'object',
  additionalProperties: false,
  properties: { new_password: { type: 'string', maxLength: 1024 } },
} as const;

const responseSchema = envelope({
  users: {
    type: 'array',
    items: { type: 'object', properties: { token: { type: 'string' }, expires_after: { type: 'string' } } },
  },
});

export function registerUsersLogin(app: FastifyInstance, { users }: RouteDeps): void {
  app.post<{ Body: LoginBody | undefined }>('/v1/users/login', {
    // The users service logs each failed login (with the username) and each lock-out: their 401s and the 429s
    // answered while a lock-out lasts would only repeat them, a line per guess.
    config: { access: 'public', failuresLoggedElsewhere: [401, 429] },
    schema: {
      summary: 'Log in: Basic credentials in, a bearer token out',
      description:
        'The token is valid 7 days (`expires_after`). The first login of `admin` with the default password must send `new_password` (401 / 1024 without it); any login may send it to change the password. Failed logins are slowed down per username and address (429 / 1015).',
      security: [{ basic: [] }],
      // An empty body: the example must not change the password of whoever tries it out.
      body: withExamples(bodySchema, {}),
      response: {
        200: withResponseExample(responseSchema, {
          users: [{ token: 'PXt7ckdNtryVCl49EJ2rSoiyDniHNjw7Jy0vtJap-o4', expires_after: '2026-11-30 09:10:51+00:00' }],
        }),
      },
    },
    // The body is optional: only a first login or a password rotation sends one.
    preValidation: async (request) => {
      request.body ??= {};
    },
    handler: async (request) => {
      const { username, password } = readBasicCredentials(request.headers.authorization);
      const issued = unwrap(
        await users.login({ username, password, newPassword: request.body?.new_password, clientAddress: request.ip }),
      );
      return { users: [issued] };
    },
  });
}

function readBasicCredentials(header: string | undefined): { username: string; password: string } {
  const match = header ? /^basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header) : null;
  if (!match?.[1]) throw new ApiError('unauthenticated', 'login needs Authorization: Basic base64(username:password)');
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) throw new ApiError('unauthenticated', 'Basic credentials must be username:password');
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}
