// Path parameter `wa_id` of /v1/contacts/{wa_id}/identity: a WhatsApp id, digits with the country code.
export const waIdParams = {
  type: 'object',
  required: ['wa_id'],
  properties: { wa_id: { type: 'string', pattern: '^[1-9][0-9]{6,14}$' } },
} as const;
