// POST /v1/users — an admin creates a ROLE_USER account (reference §1.4).
import type { FastifyInstance } from 'fastify';
import { unwrap } from '../../../lib/result.js';
import { envelope } from '../../schemas.js';
import type { RouteDeps } from '../deps.js';

export interface CreateUserBody {
  username: string;
  password: string;
}

export const usernameListResponse = envelope({
  users: { type: 'array', items: { type: 'object', properties: { username: { type: 'string' } } } },
});

export function registerUsersCreate(app: FastifyInstance, { users }: RouteDeps): void {
  app.post<{ Body: CreateUserBody }>('/v1/users', {
    config: { access: 'admin', audit: { event: 'user created', values: ['username'] } },
    schema: {
      body: {
        type: 'object',
        additionalProperties: false,
        required: ['username', 'password'],
        properties: { username: { type: 'string' }, password: { type: 'string' } },
      },
      response: { 201: usernameListResponse },
    },
    handler: async (request, reply) => {
      const created = unwrap(await users.create(request.body.username, request.body.password));
      return reply.code(201).send({ users: [created] });
    },
  });
}
