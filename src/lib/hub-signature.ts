// X-Hub-Signature-256: `sha256=<hex HMAC-SHA256 of the exact bytes sent>`. Meta signs its webhooks so, and OpenPrem
// signs its own callbacks the same way (docs/api/choices.md#webhooks): one helper for both directions.
import { createHmac } from 'node:crypto';

/** The raw HMAC-SHA256 of `body` keyed with `secret`. */
export function hmacSha256(secret: string, body: string | Buffer): Buffer {
  return createHmac('sha256', secret).update(body).digest();
}

/** The `X-Hub-Signature-256` header value over the exact bytes sent. */
export function signatureHeader(secret: string, body: string | Buffer): string {
  return `sha256=${hmacSha256(secret, body).toString('hex')}`;
}
