// JSON schemas of /v1/settings/business/compliance_info. Closed objects, so an unknown field is 1010 naming it;
// types and required fields here, values (lengths, email, phone numbers, which fields go with which entity type)
// in src/services/compliance-rules.ts. Optional fields may be null: clients send their whole form, null for "none".
import { envelope } from '../../schemas.js';

const text = { type: 'string' } as const;
const optionalText = { type: ['string', 'null'] } as const;

export const complianceBodySchema = {
  type: 'object',
  additionalProperties: false,
  required: ['entity_name', 'entity_type', 'grievance_officer_details', 'customer_care_details'],
  properties: {
    entity_name: text,
    entity_type: text,
    entity_type_custom: optionalText,
    is_registered: { type: ['boolean', 'null'] },
    grievance_officer_details: {
      type: 'object',
      additionalProperties: false,
      required: ['name', 'email'],
      properties: { name: text, email: text, mobile_number: optionalText, landline_number: optionalText },
    },
    customer_care_details: {
      type: 'object',
      additionalProperties: false,
      required: ['email'],
      properties: { email: text, mobile_number: optionalText, landline_number: optionalText },
    },
  },
} as const;

const contact = { email: text, mobile_number: text, landline_number: text } as const;

export const complianceResponse = envelope({
  settings: {
    type: 'object',
    properties: {
      business: {
        type: 'object',
        properties: {
          compliance_info: {
            type: 'object',
            properties: {
              entity_name: text,
              entity_type: text,
              entity_type_custom: text,
              is_registered: { type: 'boolean' },
              grievance_officer_details: { type: 'object', properties: { name: text, ...contact } },
              customer_care_details: { type: 'object', properties: contact },
            },
          },
        },
      },
    },
  },
});
