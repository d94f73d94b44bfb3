// POST /v1/contacts — checks numbers in any common format and answers their wa_ids (reference §2).
import type { FastifyInstance } from 'fastify';
import { envelope } from '../../schemas.js';
import type { RouteDeps } from '../deps.js';

export interface CheckContactsBody {
  blocking?: 'wait' | 'no_wait';
  contacts: string[];
  force_check?: boolean;
}

// One request may check up to 1,000 numbers: a full CRM page, while one request still answers in milliseconds.
const MAX_CONTACTS = 1000;

export function registerContactsCheck(app: FastifyInstance, { contacts }: RouteDeps): void {
  app.post<{ Body: CheckContactsBody }>('/v1/contacts', {
    config: { access: 'user', needsRegistration: true },
    schema: {
      body: {
        type: 'object',
        additionalProperties: false,
        required: ['contacts'],
        properties: {
          blocking: { type: 'string', enum: ['wait', 'no_wait'] },
          contacts: { type: 'array', minItems: 1, maxItems: MAX_CONTACTS, items: { type: 'string', maxLength: 64 } },
          force_check: { type: 'boolean' },
        },
      },
      response: {
        200: envelope({
          contacts: {
            type: 'array',
            items: {
              type: 'object',
              properties: { input: { type: 'string' }, status: { type: 'string' }, wa_id: { type: 'string' } },
            },
          },
        }),
      },
    },
    handler: async (request) => {
      const { blocking = 'no_wait', force_check: forceCheck = false } = request.body;
      return { contacts: await contacts.check({ contacts: request.body.contacts, blocking, forceCheck }) };
    },
  });
}
