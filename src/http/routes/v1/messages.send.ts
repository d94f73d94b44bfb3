// POST /v1/messages — sends any message type of the old API (docs/api/messages.md#send-a-message); 201 once the message
// is durable.
import type { FastifyInstance } from 'fastify';
import { envelope, withExamples, withResponseExample } from '../../schemas.js';
import type { RouteDeps } from '../deps.js';

const idList = { type: 'array', items: { type: 'object', properties: { id: { type: 'string' } } } } as const;
const contactList = {
  type: 'array',
  items: { type: 'object', properties: { input: { type: 'string' }, wa_id: { type: 'string' } } },
} as const;

// The README's walk-through: a text answer to a customer who wrote, and a template, which goes through at any time.
const TEXT_EXAMPLE = { to: '16315551234', type: 'text', text: { body: 'It ships today.' } };
const TEMPLATE_EXAMPLE = {
  to: '+1 631 555 9876',
  type: 'template',
  template: {
    namespace: 'openprem_sandbox',
    name: 'order_update',
    language: { policy: 'deterministic', code: 'en_US' },
    components: [
      {
        type: 'body',
        parameters: [
          { type: 'text', text: 'Kerry' },
          { type: 'text', text: '#1234' },
        ],
      },
      { type: 'button', sub_type: 'url', index: '0', parameters: [{ type: 'text', text: '1234' }] },
    ],
  },
};

export function registerMessagesSend(app: FastifyInstance, { messages }: RouteDeps): void {
  app.post('/v1/messages', {
    config: { access: 'user', limit: 'messages', needsRegistration: true },
    schema: {
      summary: 'Send a message',
      description:
        'Every type of the old API: text, image, audio, video, document, sticker, location, contacts, interactive, template (and the legacy hsm) and reaction; `context` quotes a message. 201 once the message is stored; its statuses (sent, delivered, read or failed) go to the webhook.',
      // The message types differ too much for one schema to name the old API's codes (1001, 2014, 2015, ...):
      // the domain validator checks the whole body and answers them; the schema only requires an object.
      body: withExamples({ type: 'object' }, TEXT_EXAMPLE, TEMPLATE_EXAMPLE),
      response: {
        201: withResponseExample(envelope({ messages: idList, contacts: contactList }), {
          messages: [{ id: 'wamid.HBgLMTYzMTU1NTEyMzQVAgARGBI5QUNBNEY3RUJGMzI0RTA1AA' }],
        }),
      },
    },
    handler: async (request, reply) => {
      reply.code(201);
      return messages.sender.send(request.body);
    },
  });
}
