// Meta's published OpenAPI description of the Cloud API (test/fixtures/cloud-openapi-v23.yaml, copied unchanged from
// github.com/facebook/openapi business-messaging-api_v23.0.yaml), read at test start and compiled with ajv, so
// the fake Graph server checks every request body against Meta's own schema. Not a copy of the schema parts: the
// YAML itself, with the places where it is wrong patched here in code (two of them found while building this):
//   1. read receipts: `Message` has no read-receipt variant → our own small schema for {messaging_product,
//      status:"read", message_id} (Meta's own example of it exists in the same file);
//   2. templates: LanguageObject requires `policy`, which Cloud does not use → only `code` is required;
//   3. media paths: /{Version}/{Media-ID} and /{Version}/{X-ID} are ambiguous → the fake routes by the id itself;
//   4. every *Message schema puts `additionalProperties: false` inside one allOf branch, which refuses the other
//      branch's fields (messaging_product, to, ...) → moved to `unevaluatedProperties: false` on the whole allOf;
//   5. LocationMessage types latitude and longitude as strings while its own examples (and Cloud) use numbers;
//   6. a template button's `index` has the pattern ^[2-6, 11-14]$: a regular-expression character class, so it
//      matches one character among "2"-"6", ",", " ", "1" and "4", and refuses "0" — the first button, which every
//      button template has. The same file describes it as "Position index of the button (0-9)" and its own
//      examples send both '0' and 0; the real API takes the button's position 0 to 9 as a digit string or an
//      integer (a template has at most 10 buttons) → exactly that.
//   7. the business compliance phone number patterns are escaped twice (^\\+[1-9]\\d{1,14}$ wants a backslash),
//      refusing Meta's own examples ("+913854559033") → escaped once.
import { readFileSync } from 'node:fs';
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020.js';
import YAML from 'yaml';

const CLOUD_SPEC_PATH = new URL('../fixtures/cloud-openapi-v23.yaml', import.meta.url);
// The spec's WebhookPayload, extracted to JSON (scripts/cloud-webhook-schema.mjs): what Meta posts to a webhook.
const CLOUD_WEBHOOK_SCHEMA_PATH = new URL('../fixtures/cloud-webhook-schema.json', import.meta.url);

type Json = Record<string, any>;

export type CheckedOperation =
  | 'sendMessage'
  | 'markRead'
  | 'register'
  | 'requestCode'
  | 'verifyCode'
  | 'updateProfile'
  | 'updatePhoneNumber'
  | 'updateComplianceInfo';

export interface GraphSchemas {
  /** Null when the body is right, else what is wrong, as ajv says it. */
  check(operation: CheckedOperation, body: unknown): string | null;
}

const MESSAGE_TYPES = [
  'text',
  'audio',
  'document',
  'image',
  'location',
  'video',
  'sticker',
  'reaction',
  'interactive',
  'template',
  'contacts',
];
const READ_RECEIPT = {
  type: 'object',
  additionalProperties: false,
  required: ['messaging_product', 'status', 'message_id'],
  properties: {
    messaging_product: { const: 'whatsapp' },
    status: { const: 'read' },
    message_id: { type: 'string', minLength: 1 },
    typing_indicator: { type: 'object', properties: { type: { const: 'text' } } },
  },
};

let loaded: GraphSchemas | null = null;
let webhook: { ajv: Ajv2020.default; validate: ValidateFunction } | null = null;

export function loadGraphSchemas(): GraphSchemas {
  loaded ??= compile(YAML.parse(readFileSync(CLOUD_SPEC_PATH, 'utf8')) as Json);
  return loaded;
}

/** Null when Meta's WebhookPayload schema allows `payload`, else what is wrong, as ajv says it. */
export function checkCloudWebhook(payload: unknown): string | null {
  if (!webhook) {
    // Formats (float, date, uri…) are OpenAPI annotations there, not checks Meta makes.
    const ajv = new Ajv2020.default({ strict: false, allErrors: true, validateFormats: false });
    webhook = { ajv, validate: ajv.compile(JSON.parse(readFileSync(CLOUD_WEBHOOK_SCHEMA_PATH, 'utf8')) as Json) };
  }
  return webhook.validate(payload) ? null : webhook.ajv.errorsText(webhook.validate.errors, { dataVar: 'webhook' });
}

function patch(schemas: Json): void {
  for (const type of MESSAGE_TYPES) {
    const name = `${type[0]!.toUpperCase()}${type.slice(1)}Message`;
    const schema = schemas[name];
    if (!schema?.allOf) throw new Error(`the Cloud spec no longer has ${name} as an allOf: revisit the patches`);
    for (const branch of schema.allOf as Json[]) {
      if (branch.additionalProperties === false) {
        delete branch.additionalProperties;
        schema.unevaluatedProperties = false;
      }
    }
  }
  schemas.LanguageObject.required = ['code'];
  const location = schemas.LocationMessage.allOf[1].properties.location.properties;
  for (const axis of ['latitude', 'longitude']) location[axis].type = ['number', 'string'];
  for (const properties of [schemas.TemplateComponent.properties, schemas.ButtonComponent.allOf[1].properties]) {
    if (properties.index?.pattern !== '^[2-6, 11-14]$')
      throw new Error('the Cloud spec changed the button index pattern: revisit patch 6');
    // JSON Schema applies `pattern` to strings only and the bounds to numbers only.
    properties.index = { type: ['string', 'integer'], pattern: '^[0-9]$', minimum: 0, maximum: 9 };
  }
  for (const name of ['GrievanceOfficerUpdateDetails', 'CustomerCareUpdateDetails']) {
    for (const phone of ['mobile_number', 'landline_number']) {
      const property = schemas[name].properties[phone];
      property.pattern = String(property.pattern).replaceAll('\\\\', '\\');
    }
  }
}

function compile(doc: Json): GraphSchemas {
  const schemas = doc.components.schemas as Json;
  patch(schemas);
  const ajv = new Ajv2020.default({ strict: false, allErrors: true, validateFormats: false });
  ajv.addSchema({ $id: 'cloud', components: doc.components });
  const byName = (name: string): ValidateFunction => {
    const validate = ajv.getSchema(`cloud#/components/schemas/${name}`);
    if (!validate) throw new Error(`the Cloud spec has no schema ${name}`);
    return validate;
  };
  const messages = new Map(
    MESSAGE_TYPES.map((type) => [type, byName(`${type[0]!.toUpperCase()}${type.slice(1)}Message`)]),
  );
  const fixed: Record<Exclude<CheckedOperation, 'sendMessage'>, ValidateFunction> = {
    markRead: ajv.compile(READ_RECEIPT),
    register: byName('WhatsAppBusinessPhoneNumberRegistrationRequest'),
    requestCode: byName('RequestCodeRequest'),
    verifyCode: byName('VerifyCodeRequest'),
    updateProfile: byName('WhatsAppBusinessProfileUpdateRequest'),
    updatePhoneNumber: byName('PhoneNumberStatusUpdateRequest'),
    updateComplianceInfo: byName('BusinessComplianceInfoUpdateRequest'),
  };
  return {
    check(operation, body) {
      let validate: ValidateFunction | undefined;
      if (operation === 'sendMessage') {
        // The discriminator picks the type's schema: oneOf over all of them is ambiguous in Meta's file.
        const type = (body as Json | null)?.type;
        validate = messages.get(typeof type === 'string' ? type : '');
        if (!validate) return `type ${JSON.stringify(type)} is not one of ${MESSAGE_TYPES.join(', ')}`;
      } else {
        validate = fixed[operation];
      }
      return validate(body) ? null : ajv.errorsText(validate.errors, { dataVar: 'body' });
    },
  };
}
