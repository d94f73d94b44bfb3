// JSON schemas of the profile endpoints (docs/api/profile.md). Closed objects, so an unknown field is 1010 naming
// it; types are checked here, values (lengths, formats, the industry list) by the service, with messages that
// name the rule.
import { ApiError } from '../../../errors.js';
import { envelope } from '../../schemas.js';

const text = { type: 'string' } as const;

export const aboutBodySchema = {
  type: 'object',
  additionalProperties: false,
  required: ['text'],
  properties: { text },
} as const;

export const aboutResponse = envelope({
  settings: {
    type: 'object',
    properties: { profile: { type: 'object', properties: { about: { type: 'object', properties: { text } } } } },
  },
});

const businessFields = {
  address: text,
  description: text,
  email: text,
  vertical: text,
  websites: { type: 'array', items: text },
} as const;

/** Every field optional: partial updates are allowed since v2.23 (docs/api/profile.md#change-the-business-profile). */
export const businessBodySchema = { type: 'object', additionalProperties: false, properties: businessFields } as const;

export const businessResponse = envelope({
  settings: {
    type: 'object',
    properties: {
      business: { type: 'object', properties: { profile: { type: 'object', properties: businessFields } } },
    },
  },
});

export const twoStepBodySchema = {
  type: 'object',
  additionalProperties: false,
  required: ['pin'],
  properties: { pin: text },
} as const;

export const PHOTO_URL = '/v1/settings/profile/photo';

/** A photo request whose body is not image bytes (JSON, a form, text, or nothing). */
export function notRawImage(): ApiError {
  return new ApiError(
    'invalidRequest',
    'send the photo as the raw bytes of a JPEG or PNG image, with Content-Type image/jpeg or image/png',
  );
}
