import { createHmac } from 'node:crypto';

/** `X-Hub-Signature-256` over the exact bytes sent, as Meta signs its own webhooks (docs/api/choices.md#webhooks). */
export function signatureHeader(secret: string, body: string | Buffer): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}
