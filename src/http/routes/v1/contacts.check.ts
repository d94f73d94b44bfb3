// POST /v1/contacts — checks numbers in any common format and answers their wa_ids
// (docs/api/contacts.md#check-contacts).
import type { FastifyInstance } from 'fastify';
import { envelope, withResponseExample } from '../../schemas.js';
import type { RouteDeps } from '../deps.js';

interface CheckContactsBody {
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
      summary: 'Check phone numbers and get their wa_id',
      description:
        'Numbers in any common format; without a country code they are read in the region of the business number. `valid` with the wa_id, `invalid`, or `processing` for a `no_wait` look-up whose result goes to the webhook. Results are cached 7 days; `force_check` bypasses the cache.',
      body: {
        type: 'object',
        additionalProperties: false,
        required: ['contacts'],
        properties: {
          blocking: { type: 'string', enum: ['wait', 'no_wait'] },
          contacts: { type: 'array', minItems: 1, maxItems: MAX_CONTACTS, items: { type: 'string', maxLength: 64 } },
          force_check: { type: 'boolean' },
        },
        examples: [{ blocking: 'wait', contacts: ['+1 631 555 1001', '6315551002', '+44 20 7946 0958', '12'] }],
      },
      response: {
        200: withResponseExample(
          envelope({
            contacts: {
              type: 'array',
              items: {
                type: 'object',
                properties: { input: { type: 'string' }, status: { type: 'string' }, wa_id: { type: 'string' } },
              },
            },
          }),
          {
            contacts: [
              { input: '+1 631 555 1001', status: 'valid', wa_id: '16315551001' },
              { input: '6315551002', status: 'valid', wa_id: '16315551002' },
              { input: '+44 20 7946 0958', status: 'invalid' },
              { input: '12', status: 'invalid' },
            ],
          },
        ),
      },
    },
    handler: async (request) => {
      const { blocking = 'no_wait', force_check: forceCheck = false } = request.body;
      return { contacts: await contacts.check({ contacts: request.body.contacts, blocking, forceCheck }) };
    },
  });
}
