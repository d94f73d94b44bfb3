// What POST /v1/certificates/external and POST /v1/certificates/webhooks/ca accept (docs/api/certificates.md), checked
// with node:crypto alone: every block parses, the key belongs to the certificate, each certificate was issued and
// signed by the next one, and none is outside its validity period. Bad input is 400: 1008 when a required part is
// missing, 1009 when a part is there but wrong (docs/api/README.md#request-bodies).
import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import { fail, ok, type Result } from '../lib/result.js';
import { certificateName, certificatesToPem, readPemBlocks, type PemBlock } from './pem.js';

/** A key and the chain it serves, leaf first: what the HTTPS server needs. */
export interface ServerCertificate {
  /** The private key, PKCS#8 PEM. */
  keyPem: string;
  chain: X509Certificate[];
  /** The canonical text stored: the key, then the chain. */
  pem: string;
}

export interface CaBundle {
  certificates: X509Certificate[];
  pem: string;
}

const EXTERNAL_LAYOUT = 'the private key, then the certificate, then at least one intermediate CA certificate, all PEM';
const KEY_LABELS = new Set(['PRIVATE KEY', 'RSA PRIVATE KEY', 'EC PRIVATE KEY']);

export function parseExternalUpload(text: string | undefined, now: number): Result<ServerCertificate> {
  if (text === undefined || text.trim() === '')
    return fail('missingParameter', `the body must be one PEM file: ${EXTERNAL_LAYOUT}`);
  const blocks = readPemBlocks(text);
  if (!blocks?.length) return fail('invalidParameter', `the body is not PEM; expected ${EXTERNAL_LAYOUT}`);
  const keyBlocks = blocks.filter((block) => block.label.endsWith('PRIVATE KEY'));
  const other = blocks.find((block) => block.label !== 'CERTIFICATE' && !block.label.endsWith('PRIVATE KEY'));
  if (other) return fail('invalidParameter', `unexpected PEM block "${other.label}"; expected ${EXTERNAL_LAYOUT}`);
  if (keyBlocks.length === 0)
    return fail('missingParameter', `the private key is missing; expected ${EXTERNAL_LAYOUT}`);
  if (keyBlocks.length > 1) return fail('invalidParameter', `expected one private key, got ${keyBlocks.length}`);
  const key = readPrivateKey(keyBlocks[0]!);
  if (!key.ok) return key;
  const certificates = readCertificates(blocks);
  if (!certificates.ok) return certificates;
  const chain = certificates.value;
  if (chain.length === 0) return fail('missingParameter', `the certificate is missing; expected ${EXTERNAL_LAYOUT}`);
  if (chain.length === 1)
    return fail(
      'missingParameter',
      'at least one intermediate CA certificate must follow the certificate, as On-Premises required',
    );
  if (!chain[0]!.checkPrivateKey(key.value))
    return fail(
      'invalidParameter',
      `the private key does not belong to the certificate (the first one in the file, ${certificateName(chain[0]!)})`,
    );
  const linked = checkChain(chain, now);
  if (!linked.ok) return linked;
  const keyPem = key.value.export({ type: 'pkcs8', format: 'pem' }) as string;
  return ok({ keyPem, chain, pem: keyPem + certificatesToPem(chain) });
}

export function parseCaBundle(text: string | undefined, now: number): Result<CaBundle> {
  const layout = 'one or more CA certificates, PEM, concatenated';
  if (text === undefined || text.trim() === '') return fail('missingParameter', `the body must be ${layout}`);
  const blocks = readPemBlocks(text);
  if (!blocks?.length) return fail('invalidParameter', `the body is not PEM; expected ${layout}`);
  const other = blocks.find((block) => block.label !== 'CERTIFICATE');
  if (other)
    return fail('invalidParameter', `unexpected PEM block "${other.label}": a CA bundle holds certificates only`);
  const certificates = readCertificates(blocks);
  if (!certificates.ok) return certificates;
  for (const [index, certificate] of certificates.value.entries()) {
    const expired = validityProblem(certificate, index, now);
    if (expired) return fail('invalidParameter', expired);
  }
  return ok({ certificates: certificates.value, pem: certificatesToPem(certificates.value) });
}

/** A stored `external` document back into its parts (it was validated when uploaded). Throws if unreadable. */
export function readStoredExternal(pem: string): ServerCertificate {
  const blocks = readPemBlocks(pem) ?? [];
  const keyBlock = blocks.find((block) => KEY_LABELS.has(block.label));
  const chain = blocks.filter((block) => block.label === 'CERTIFICATE').map((block) => new X509Certificate(block.text));
  if (!keyBlock || chain.length === 0) throw new Error('the stored external certificate has no key or no certificate');
  return { keyPem: createPrivateKey(keyBlock.text).export({ type: 'pkcs8', format: 'pem' }) as string, chain, pem };
}

function readPrivateKey(block: PemBlock): Result<KeyObject> {
  if (block.label === 'ENCRYPTED PRIVATE KEY' || block.hasHeaders) {
    return fail('invalidParameter', 'the private key is encrypted; upload it without a passphrase');
  }
  if (!KEY_LABELS.has(block.label)) return fail('invalidParameter', `unexpected PEM block "${block.label}"`);
  try {
    return ok(createPrivateKey(block.text));
  } catch (error) {
    return fail('invalidParameter', `the private key cannot be read (${(error as Error).message})`);
  }
}

/** The CERTIFICATE blocks in file order, each parsed; numbered from 1 in messages, as a person counts them. */
function readCertificates(blocks: readonly PemBlock[]): Result<X509Certificate[]> {
  const certificates: X509Certificate[] = [];
  for (const block of blocks.filter((b) => b.label === 'CERTIFICATE')) {
    try {
      certificates.push(new X509Certificate(block.text));
    } catch {
      return fail('invalidParameter', `certificate ${certificates.length + 1} in the file cannot be read as X.509`);
    }
  }
  return ok(certificates);
}

/** Each certificate issued and signed by the next, every one after the first a CA, all valid at `now`. */
function checkChain(chain: readonly X509Certificate[], now: number): Result<void> {
  for (const [index, certificate] of chain.entries()) {
    const expired = validityProblem(certificate, index, now);
    if (expired) return fail('invalidParameter', expired);
    const issuer = chain[index + 1];
    if (!issuer) break;
    const label = `certificate ${index + 2} (${certificateName(issuer)})`;
    if (!issuer.ca)
      return fail('invalidParameter', `${label} is not a CA certificate, so it cannot issue certificate ${index + 1}`);
    if (!certificate.checkIssued(issuer) || !signedBy(certificate, issuer)) {
      return fail(
        'invalidParameter',
        `${label} did not issue certificate ${index + 1} (${certificateName(certificate)}): list each certificate followed by its issuer`,
      );
    }
  }
  return ok(undefined);
}

/** False too when the issuer's key is of a type this Node cannot verify with (reading publicKey throws then). */
function signedBy(certificate: X509Certificate, issuer: X509Certificate): boolean {
  try {
    return certificate.verify(issuer.publicKey);
  } catch {
    return false;
  }
}

function validityProblem(certificate: X509Certificate, index: number, now: number): string | null {
  const label = `certificate ${index + 1} (${certificateName(certificate)})`;
  const from = Date.parse(certificate.validFrom);
  const to = Date.parse(certificate.validTo);
  if (now > to) return `${label} expired on ${new Date(to).toISOString()}`;
  if (now < from) return `${label} is not valid before ${new Date(from).toISOString()}`;
  return null;
}
