import { SANDBOX_FAILURE_CODES } from '../../../modes/sandbox/directory.js';
import { ApiError } from '../../../errors.js';
import type { PhoneNumberReader, WaId } from '../../../lib/phone.js';
import { envelope } from '../../schemas.js';

export const customerParams = {
  type: 'object',
  required: ['wa_id'],
  properties: { wa_id: { type: 'string', minLength: 1, maxLength: 64 } },
} as const;

export const customerResponse = envelope({
  customers: {
    type: 'array',
    items: {
      type: 'object',
      properties: {
        wa_id: { type: 'string' },
        name: { type: 'string' },
        on_whatsapp: { type: 'boolean' },
        read_receipts: { type: 'boolean' },
        online: { type: 'boolean' },
        fail_with: { type: ['integer', 'null'] },
      },
    },
  },
});

export const customerChangesSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    name: { type: ['string', 'null'], minLength: 1, maxLength: 256 },
    on_whatsapp: { type: 'boolean' },
    read_receipts: { type: 'boolean' },
    online: { type: 'boolean' },
    fail_with: { anyOf: [{ type: 'null' }, { type: 'integer', enum: [...SANDBOX_FAILURE_CODES] }] },
  },
} as const;

/** The path's number in any format → wa_id; a customer must have a valid phone number. */
export function customerWaId(phones: PhoneNumberReader, raw: string): WaId {
  const waId = phones.toWaId(raw);
  if (!waId) throw new ApiError('notFound', `${raw} is not a valid phone number, so no customer has it`);
  return waId;
}
