// POST /v1/messages — sends any message type of the reference (§3); 201 once the message is durable.
import type { FastifyInstance } from 'fastify';
import { envelope } from '../../schemas.js';
import type { RouteDeps } from '../deps.js';

const idList = { type: 'array', items: { type: 'object', properties: { id: { type: 'string' } } } } as const;
const contactList = { type: 'array', items: { type: 'object', properties: { input: { type: 'string' }, wa_id: { type: 'string' } } } } as const;

export function registerMessagesSend(app: FastifyInstance, { messages }: RouteDeps): void {
  app.post('/v1/messages', {
    config: { access: 'user', limit: 'messages', needsRegistration: true },
    schema: {
      // The message types differ too much for one schema to name the reference's codes (1001, 2014, 2015, ...):
      // the domain validator checks the whole body and answers them; the schema only requires an object.
      body: { type: 'object' },
      response: { 201: envelope({ messages: idList, contacts: contactList }) },
    },
    handler: async (request, reply) => {
      reply.code(201);
      return messages.sender.send(request.body);
    },
  });
}
