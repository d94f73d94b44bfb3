// POST /v1/users/logout — revokes the token sent with the request, and only that one
// (docs/api/users-and-auth.md#log-out).
import type { FastifyInstance } from 'fastify';
import { principalOf } from '../../hooks/authenticate.js';
import { emptyEnvelope } from '../../schemas.js';
import type { RouteDeps } from '../deps.js';

export function registerUsersLogout(app: FastifyInstance, { users }: RouteDeps): void {
  app.post('/v1/users/logout', {
    config: { access: 'user' },
    schema: {
      summary: 'Log out: revoke the token of this request',
      response: { 200: emptyEnvelope },
    },
    handler: async (request) => {
      await users.logout(principalOf(request));
      return {};
    },
  });
}
