// DELETE /v1/users/{username} — removes the user and revokes its tokens; `admin` cannot be deleted
// (docs/api/users-and-auth.md#delete-a-user).
import type { FastifyInstance } from 'fastify';
import { unwrap } from '../../../lib/result.js';
import { usernameParams } from '../../schemas.js';
import type { RouteDeps } from '../deps.js';
import { usernameListResponse } from './users.create.js';

export function registerUsersDelete(app: FastifyInstance, { users }: RouteDeps): void {
  app.delete<{ Params: { username: string } }>('/v1/users/:username', {
    config: { access: 'admin', audit: { event: 'user deleted' } },
    schema: {
      summary: 'Delete a user and revoke its tokens',
      description: 'The built-in `admin` cannot be deleted.',
      params: usernameParams,
      response: { 200: usernameListResponse },
    },
    handler: async (request) => ({ users: [unwrap(await users.delete(request.params.username))] }),
  });
}
