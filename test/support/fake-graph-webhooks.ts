// The fake Graph server's webhooks, Meta's half of the loop: after each accepted send the message's statuses (sent,
// delivered, read), and the messages a customer writes (POST /fake/inbound), each posted to the node's
// /cloud/webhook as Meta posts them: one webhook per event, signed with X-Hub-Signature-256 (HMAC-SHA256 of the
// exact bytes, keyed with the app secret), checked first against Meta's own WebhookPayload schema so the fake never
// posts what Meta would not. Posted one at a time, in order: a message's statuses arrive sent, delivered, read.
import { createHmac, randomBytes } from 'node:crypto';
import { request } from 'undici';
import { checkCloudWebhook } from './fake-graph-schema.js';

type Json = Record<string, any>;

export interface WebhookTarget {
  /** The node's webhook door, e.g. http://127.0.0.1:9090/cloud/webhook. */
  url: string;
  /** WA_CLOUD_APP_SECRET of that node. */
  appSecret: string;
}

export interface PostedWebhook {
  body: Json;
  /** The node's HTTP status, or null when it could not be reached (then `error` says why). */
  status: number | null;
  error?: string;
}

/** What a customer writes: `text`, or a Cloud message's `type` with its object (and `context`) as Meta sends them. */
export interface CustomerMessage {
  from: string;
  /** The customer's WhatsApp profile name; remembered per customer, "Customer <last 4 digits>" until given. */
  name?: string;
  text?: string;
  [field: string]: unknown;
}

export interface WebhookPosterOptions {
  target(): WebhookTarget | null;
  phoneNumberId: string;
  wabaId: string;
  businessNumber: string;
  /** Keep every posted webhook in `posted` (off for the benchmark). */
  record: boolean;
  /** Told of each webhook the node did not take (the CLI prints it). */
  onFailure?(posted: PostedWebhook): void;
}

export class CustomerMessageError extends Error {}

const STATUSES = ['sent', 'delivered', 'read'] as const;
const seconds = () => String(Math.floor(Date.now() / 1000));

export function createWebhookPoster(options: WebhookPosterOptions) {
  const posted: PostedWebhook[] = [];
  const names = new Map<string, string>();
  let queue: Promise<unknown> = Promise.resolve();

  function webhook(value: Json): Json {
    const metadata = { display_phone_number: options.businessNumber, phone_number_id: options.phoneNumberId };
    return {
      object: 'whatsapp_business_account',
      entry: [
        {
          id: options.wabaId,
          changes: [{ value: { messaging_product: 'whatsapp', metadata, ...value }, field: 'messages' }],
        },
      ],
    };
  }

  async function post(target: WebhookTarget, body: Json): Promise<PostedWebhook> {
    const raw = JSON.stringify(body);
    const signature = `sha256=${createHmac('sha256', target.appSecret).update(raw).digest('hex')}`;
    let result: PostedWebhook;
    try {
      // undici's request, not fetch: fetch refuses the ports browsers block (9, 6000, …), a node may listen on any.
      const response = await request(target.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature },
        body: raw,
      });
      await response.body.dump();
      result = { body, status: response.statusCode };
    } catch (error) {
      result = { body, status: null, error: String(error) };
    }
    if (options.record) posted.push(result);
    if (result.status === null || result.status >= 300) options.onFailure?.(result);
    return result;
  }

  /** Queues the webhook behind every earlier one; answers the node's answer to it. */
  function enqueue(target: WebhookTarget, body: Json): Promise<PostedWebhook> {
    const problem = checkCloudWebhook(body);
    if (problem !== null) throw new Error(`the fake built a webhook Meta would not send: ${problem}`);
    const result = queue.then(() => post(target, body));
    queue = result;
    return result;
  }

  return {
    posted,

    /** Meta's sent, delivered and read webhooks of an accepted send (nothing when no node is set). */
    statusesOf(send: Json, wamid: string, waId: string): void {
      const target = options.target();
      if (!target) return;
      // The sent and delivered statuses carry the conversation and pricing (a template as a utility one, a
      // free-form message, sent inside the customer's window, as free service); read, not a billing event, neither.
      const category = send.type === 'template' ? 'utility' : 'service';
      const conversation = {
        id: randomBytes(16).toString('hex'),
        expiration_timestamp: String(Math.floor(Date.now() / 1000) + 86_400),
        origin: { type: category },
      };
      const pricing = { billable: category !== 'service', pricing_model: 'PMP', category };
      for (const status of STATUSES) {
        const priced = status === 'read' ? {} : { conversation, pricing };
        void enqueue(
          target,
          webhook({ statuses: [{ id: wamid, status, timestamp: seconds(), recipient_id: waId, ...priced }] }),
        );
      }
    },

    /** Posts a customer's message; answers its wamid and the node's answer. */
    async customerWrites(input: CustomerMessage): Promise<{ id: string; posted: PostedWebhook }> {
      const target = options.target();
      if (!target)
        throw new CustomerMessageError('no webhook URL: start the fake with --webhook-url (or set webhookTarget)');
      const { from, name, text, ...rest } = input;
      const waId = typeof from === 'string' ? from.replace(/\D/g, '') : '';
      if (waId.length < 8)
        throw new CustomerMessageError('from: a customer phone number is required, e.g. "16315551234"');
      if (name !== undefined) names.set(waId, String(name));
      const fields = typeof text === 'string' ? { type: 'text', text: { body: text }, ...rest } : rest;
      if (typeof fields.type !== 'string')
        throw new CustomerMessageError('give "text", or "type" and its object as in a Cloud webhook');
      const id = `wamid.${randomBytes(24).toString('base64url')}`;
      const message = { from: waId, id, timestamp: seconds(), ...fields };
      const profile = { name: names.get(waId) ?? `Customer ${waId.slice(-4)}` };
      const body = webhook({ contacts: [{ profile, wa_id: waId }], messages: [message] });
      const problem = checkCloudWebhook(body);
      if (problem !== null) throw new CustomerMessageError(`Meta would not send this message: ${problem}`);
      return { id, posted: await enqueue(target, body) };
    },

    /** Resolves once every webhook queued so far was posted. */
    settled: (): Promise<void> => queue.then(() => undefined),
  };
}
