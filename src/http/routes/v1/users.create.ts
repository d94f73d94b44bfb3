// POST /v1/users — an admin creates a ROLE_USER account (docs/api/users-and-auth.md#create-a-user).
import type { FastifyInstance } from 'fastify';
import { unwrap } from '../../../lib/result.js';
import { envelope, withResponseExample } from '../../schemas.js';
import type { RouteDeps } from '../deps.js';

interface CreateUserBody {
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
      summary: 'Create a ROLE_USER account',
      description:
        'Usernames of 4 to 32 characters; passwords of 8 to 64 with a digit, an upper-case and a lower-case letter and a special character. An existing username is 500 / 1014, as the old API answered.',
      body: {
        type: 'object',
        additionalProperties: false,
        required: ['username', 'password'],
        properties: { username: { type: 'string' }, password: { type: 'string' } },
        examples: [{ username: 'crm-bot', password: 'Bot-Secret-42!' }],
      },
      response: { 201: withResponseExample(usernameListResponse, { users: [{ username: 'crm-bot' }] }) },
    },
    handler: async (request, reply) => {
      const created = unwrap(await users.create(request.body.username, request.body.password));
      return reply.code(201).send({ users: [created] });
    },
  });
}
