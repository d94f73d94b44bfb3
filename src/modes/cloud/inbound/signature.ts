// Meta signs every webhook: X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body, keyed with the app
// secret>. The check runs on the bytes as received (re-serialised JSON would differ) and in constant time, so a
// forger learns nothing from how long a refusal took.
import { timingSafeEqual } from 'node:crypto';
import { hmacSha256, signatureHeader } from '../../../lib/hub-signature.js';

const HEADER = /^sha256=([0-9a-f]{64})$/i;

/** The header value Meta would send for `body`. */
export function signCloudWebhook(body: Buffer | string, appSecret: string): string {
  return signatureHeader(appSecret, body);
}

/** Whether `header` is Meta's signature of exactly these bytes. */
export function isCloudSignatureValid(body: Buffer, header: string | string[] | undefined, appSecret: string): boolean {
  if (typeof header !== 'string') return false;
  const given = HEADER.exec(header.trim())?.[1];
  if (given === undefined) return false;
  const expected = hmacSha256(appSecret, body);
  const actual = Buffer.from(given, 'hex');
  // Both are 32 bytes once the pattern matched; the check stays so that timingSafeEqual can never throw.
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
