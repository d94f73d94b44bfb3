// Schemas of /sandbox/templates. Shapes and lengths are WhatsApp Manager's limits: names of lowercase letters,
// digits and underscores up to 512 characters; body text up to 1024, header and footer text up to 60, button text
// up to 25; at most 3 quick-reply, 2 URL and 1 phone-number buttons. What a schema cannot say (placeholders
// numbered {{1}}..{{n}}, button counts per type, which fields go with which type) is checked by
// componentsProblem in src/services/template-rules.ts, also as 400 / 1009.
import {
  BUTTON_TYPES,
  HEADER_FORMATS,
  MAX_BUTTONS,
  TEMPLATE_CATEGORIES,
  TEMPLATE_STATUSES,
} from '../../../services/template-rules.js';
import { envelope } from '../../schemas.js';

/** Real namespaces are UUIDs written with underscores; test suites often use readable ones such as `business_a`. */
const namespace = { type: 'string', pattern: '^[A-Za-z0-9_-]+$', minLength: 1, maxLength: 128 } as const;
const name = { type: 'string', pattern: '^[a-z0-9_]+$', minLength: 1, maxLength: 512 } as const;
/** `en`, `fil`, `en_US`, `pt_BR`: WhatsApp's template language codes. */
const language = { type: 'string', pattern: '^[a-z]{2,3}(_[A-Z]{2})?$' } as const;
const category = { type: 'string', enum: [...TEMPLATE_CATEGORIES] } as const;
const status = { type: 'string', enum: [...TEMPLATE_STATUSES] } as const;
const text = (maxLength: number) => ({ type: 'string', minLength: 1, maxLength }) as const;
const ofType = (type: string) => ({ required: ['type'], properties: { type: { const: type } } }) as const;

const buttonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['type', 'text'],
  properties: {
    type: { type: 'string', enum: [...BUTTON_TYPES] },
    text: text(25),
    url: { type: 'string', minLength: 1, maxLength: 2000, pattern: '^https?://[^\\s]+$' },
    phone_number: { type: 'string', pattern: '^\\+?[1-9][0-9]{6,19}$' },
  },
  allOf: [
    { if: ofType('URL'), then: { required: ['url'] } },
    { if: ofType('PHONE_NUMBER'), then: { required: ['phone_number'] } },
  ],
} as const;

const componentsSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['body'],
  properties: {
    header: {
      type: 'object',
      additionalProperties: false,
      required: ['format'],
      properties: { format: { type: 'string', enum: [...HEADER_FORMATS] }, text: text(60) },
      if: { required: ['format'], properties: { format: { const: 'TEXT' } } },
      then: { required: ['text'] },
    },
    body: { type: 'object', additionalProperties: false, required: ['text'], properties: { text: text(1024) } },
    footer: { type: 'object', additionalProperties: false, required: ['text'], properties: { text: text(60) } },
    buttons: {
      type: 'array',
      maxItems: MAX_BUTTONS.QUICK_REPLY + MAX_BUTTONS.URL + MAX_BUTTONS.PHONE_NUMBER,
      items: buttonSchema,
    },
  },
} as const;

export const templateKeyParams = {
  type: 'object',
  required: ['namespace', 'name', 'language'],
  // Only lengths here: a key of the wrong shape names no template, which is 404 / 1006.
  properties: {
    namespace: { type: 'string', minLength: 1, maxLength: 128 },
    name: { type: 'string', minLength: 1, maxLength: 512 },
    language: { type: 'string', minLength: 1, maxLength: 16 },
  },
} as const;

export const createTemplateSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'language', 'category', 'components'],
  properties: { namespace, name, language, category, status, components: componentsSchema },
} as const;

export const updateTemplateSchema = {
  type: 'object',
  additionalProperties: false,
  properties: { category, status, components: componentsSchema },
} as const;

export const listTemplatesQuery = {
  type: 'object',
  additionalProperties: false,
  properties: { namespace, name, language, category, status },
} as const;

const str = { type: 'string' } as const;

export const templateResponse = envelope({
  templates: {
    type: 'array',
    items: {
      type: 'object',
      properties: {
        namespace: str,
        name: str,
        language: str,
        category: str,
        status: str,
        components: {
          type: 'object',
          properties: {
            header: { type: 'object', properties: { format: str, text: str } },
            body: { type: 'object', properties: { text: str } },
            footer: { type: 'object', properties: { text: str } },
            buttons: {
              type: 'array',
              items: { type: 'object', properties: { type: str, text: str, url: str, phone_number: str } },
            },
          },
        },
        created_at: { type: 'integer' },
        updated_at: { type: 'integer' },
      },
    },
  },
});
