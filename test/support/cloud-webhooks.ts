// Meta's side of the cloud gateway's inbound half: realistic Cloud webhook payloads (built from the examples of
// Meta's OpenAPI and checked against its WebhookPayload schema, test/fixtures/cloud-webhook-schema.json), the
// X-Hub-Signature-256 signer, and a poster that sends them to a node as Meta does.
import assert from 'node:assert/strict';
import { signCloudWebhook } from '../../src/modes/cloud/inbound/signature.js';
import { checkCloudWebhook } from './fake-graph-schema.js';
import type { TestNode, TestResponse } from './harness.js';

const CLOUD_PHONE_NUMBER_ID = '106540352242922';
const CLOUD_WABA_ID = '419561257915477';
const CLOUD_APP_SECRET = '0123456789abcdef0123456789abcdef';
export const CLOUD_VERIFY_TOKEN = 'verify-me-please';
export const CUSTOMER = { waId: '16315551234', name: 'Sheena Nelson' };

/** A node on the cloud gateway; Graph is unreachable (port 9) unless a scenario points it at the fake Graph. */
export const CLOUD_ENV: Record<string, string> = {
  WA_GATEWAY: 'cloud',
  WA_CLOUD_ACCESS_TOKEN: 'EAAGm0PX4ZCpsBAKZCZCtoken0123456789',
  WA_CLOUD_PHONE_NUMBER_ID: CLOUD_PHONE_NUMBER_ID,
  WA_CLOUD_WABA_ID: CLOUD_WABA_ID,
  WA_CLOUD_BUSINESS_NUMBER: '+1 631 555 0253',
  WA_CLOUD_APP_SECRET: CLOUD_APP_SECRET,
  WA_CLOUD_VERIFY_TOKEN: CLOUD_VERIFY_TOKEN,
  // Unreachable: a scenario that needs Graph (test/support/cloud-scenario.ts) points this at the fake Graph server.
  WA_CLOUD_BASE_URL: 'http://127.0.0.1:9',
};

type Json = Record<string, unknown>;

export interface ChangeValue {
  contacts?: Json[];
  messages?: Json[];
  statuses?: Json[];
  errors?: Json[];
}

/** One `messages` change of the configured number (or of `phoneNumberId`). */
export function messagesChange(value: ChangeValue, phoneNumberId = CLOUD_PHONE_NUMBER_ID): Json {
  return {
    value: {
      messaging_product: 'whatsapp',
      metadata: { display_phone_number: '16315550253', phone_number_id: phoneNumberId },
      ...value,
    },
    field: 'messages',
  };
}

/** The whole webhook: one entry per array of changes. */
export function cloudWebhook(...entries: Json[][]): Json {
  return { object: 'whatsapp_business_account', entry: entries.map((changes) => ({ id: CLOUD_WABA_ID, changes })) };
}

export const senderContacts = (waId = CUSTOMER.waId, name = CUSTOMER.name) => [{ profile: { name }, wa_id: waId }];

let sequence = 0;
/** A fresh wamid of Meta's shape. */
export function wamid(): string {
  return `wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQz${(++sequence).toString(16).toUpperCase().padStart(8, '0')}${Date.now().toString(16).toUpperCase()}AA==`;
}

/** An inbound message from the customer: {from, id, timestamp, type, [type]: content, ...extra}. */
export function inboundMessage(type: string, content: unknown, extra: Json = {}): Json {
  return {
    from: CUSTOMER.waId,
    id: wamid(),
    timestamp: '1750000000',
    type,
    ...(content === undefined ? {} : { [type]: content }),
    ...extra,
  };
}

/** The webhook of one inbound message, as Meta sends it. */
export function inboundWebhook(message: Json): Json {
  return cloudWebhook([messagesChange({ contacts: senderContacts(), messages: [message] })]);
}

/** A status of a business message, with Meta's conversation and pricing. */
export function cloudStatus(id: string, status: 'sent' | 'delivered' | 'read' | 'failed', extra: Json = {}): Json {
  const priced =
    status === 'failed'
      ? {}
      : {
          conversation: {
            id: 'b1cd6a8e1b5b45b7b5e7a6b1a0c4d111',
            expiration_timestamp: '1750086400',
            origin: { type: 'utility' },
          },
          pricing: { billable: true, pricing_model: 'CBP', category: 'utility', type: 'regular' },
        };
  return { id, status, timestamp: '1750000100', recipient_id: CUSTOMER.waId, ...priced, ...extra };
}

export function statusWebhook(...statuses: Json[]): Json {
  return cloudWebhook([messagesChange({ statuses })]);
}

/** The body as Meta's bytes: compact JSON, signed over exactly these bytes. */
export function signedRequest(body: Json | string, secret = CLOUD_APP_SECRET): { payload: string; signature: string } {
  const payload = typeof body === 'string' ? body : JSON.stringify(body);
  return { payload, signature: signCloudWebhook(payload, secret) };
}

/** POSTs a webhook as Meta does; `signature: null` leaves the header out. */
export async function postCloudWebhook(
  t: TestNode,
  body: Json | string,
  options: { signature?: string | null } = {},
): Promise<TestResponse> {
  const signed = signedRequest(body);
  const signature = options.signature === undefined ? signed.signature : options.signature;
  return t.request({
    method: 'POST',
    url: '/cloud/webhook',
    payload: signed.payload,
    headers: {
      'content-type': 'application/json',
      ...(signature === null ? {} : { 'x-hub-signature-256': signature }),
    },
  });
}

/** Fails the test when `payload` is not what Meta's WebhookPayload schema allows. */
export function assertMetaShaped(payload: Json): void {
  const problem = checkCloudWebhook(payload);
  assert.equal(problem, null, `not a webhook Meta would send: ${problem}`);
}
