// GET /v1/users/{username} — note the upper-case `ROLES` key of the old API (docs/api/users-and-auth.md#read-a-user).
import type { FastifyInstance } from 'fastify';
import { unwrap } from '../../../lib/result.js';
import { envelope, usernameParams } from '../../schemas.js';
import type { RouteDeps } from '../deps.js';

export function registerUsersGet(app: FastifyInstance, { users }: RouteDeps): void {
  app.get<{ Params: { username: string } }>('/v1/users/:username', {
    config: { access: 'admin' },
    schema: {
      summary: 'Get a user and its role',
      params: usernameParams,
      response: {
        200: envelope({
          users: {
            type: 'array',
            items: { type: 'object', properties: { ROLES: { type: 'string' }, username: { type: 'string' } } },
          },
        }),
      },
    },
    handler: async (request) => ({ users: [unwrap(await users.get(request.params.username))] }),
  });
}
