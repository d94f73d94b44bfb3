// PUT /v1/users/{username} — change a password: an admin for anyone, a user for itself
// (docs/api/users-and-auth.md#change-a-password).
import type { FastifyInstance } from 'fastify';
import { unwrap } from '../../../lib/result.js';
import { principalOf } from '../../hooks/authenticate.js';
import { usernameParams } from '../../schemas.js';
import type { RouteDeps } from '../deps.js';
import { usernameListResponse } from './users.create.js';

export function registerUsersUpdate(app: FastifyInstance, { users }: RouteDeps): void {
  app.put<{ Params: { username: string }; Body: { password: string } }>('/v1/users/:username', {
    config: { access: 'user', audit: { event: 'password changed' } },
    schema: {
      summary: 'Change a password',
      description:
        "An admin may change any password, a user only its own (403 / 1005 otherwise). The user's other tokens are revoked.",
      errorStatuses: [403],
      params: usernameParams,
      body: {
        type: 'object',
        additionalProperties: false,
        required: ['password'],
        properties: { password: { type: 'string' } },
      },
      response: { 200: usernameListResponse },
    },
    handler: async (request) => {
      const changed = unwrap(
        await users.changePassword(principalOf(request), request.params.username, request.body.password),
      );
      return { users: [changed] };
    },
  });
}
