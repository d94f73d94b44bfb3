// GET /x/v1/users/me — who the bearer token belongs to, in the shape of GET /v1/users/{username}. Any logged-in
// user may ask (GET /v1/users/{username} is admin-only), so that a client such as the web console can offer only
// what the account may do without trying a request it expects to be refused.
import type { FastifyInstance } from 'fastify';
import { principalOf } from '../../hooks/authenticate.js';
import { envelope } from '../../schemas.js';

const meResponse = envelope({
  users: {
    type: 'array',
    items: { type: 'object', properties: { username: { type: 'string' }, ROLES: { type: 'string' } } },
  },
});

export function registerUsersMe(app: FastifyInstance): void {
  app.get('/x/v1/users/me', {
    config: { access: 'user', apiStatus: 'experimental' },
    schema: {
      summary: 'Who the bearer token belongs to',
      description: "The caller's username and role, in the shape of GET /v1/users/{username}, for any logged-in user.",
      response: { 200: meResponse },
    },
    handler: async (request) => {
      const principal = principalOf(request);
      // 'user' access admits bearer tokens only, so the principal is always a user.
      if (principal.kind !== 'user') return { users: [] };
      return { users: [{ username: principal.username, ROLES: principal.role }] };
    },
  });
}
