// PEM text (RFC 7468): the blocks of a file in order, and the canonical form OpenPrem stores. Text outside the
// blocks (comments, OpenSSL's "Bag Attributes") is ignored, as OpenSSL ignores it.
import { X509Certificate } from 'node:crypto';

export interface PemBlock {
  /** The label of BEGIN/END, e.g. CERTIFICATE, PRIVATE KEY. */
  label: string;
  /** The block as text, BEGIN and END lines included. */
  text: string;
  /** True for RFC 1421 headers (Proc-Type, DEK-Info): an OpenSSL key encrypted with a passphrase. */
  hasHeaders: boolean;
}

// A bound on the work one upload can cause: parsing a certificate costs ~50 µs, verifying a signature more. A CA
// bundle of every public root is ~150 certificates; nothing legitimate comes near 256 blocks.
export const MAX_PEM_BLOCKS = 256;

const BLOCK = /-----BEGIN ([A-Z0-9][A-Z0-9 ]{0,62})-----\r?\n([\s\S]*?)-----END \1-----/g;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** The blocks in file order; null when a block's body is not base64 or there are more than MAX_PEM_BLOCKS. */
export function readPemBlocks(text: string): PemBlock[] | null {
  const blocks: PemBlock[] = [];
  for (const match of text.matchAll(BLOCK)) {
    const [whole, label, body] = match as unknown as [string, string, string];
    const lines = body.split(/\r?\n/).map((line) => line.trim()).filter(Boolean);
    const hasHeaders = lines.some((line) => line.includes(':'));
    const base64 = lines.filter((line) => !line.includes(':')).join('');
    if (!BASE64.test(base64) || base64.length === 0) return null;
    blocks.push({ label, text: whole, hasHeaders });
    if (blocks.length > MAX_PEM_BLOCKS) return null;
  }
  return blocks;
}

/** Certificates as one PEM bundle, each in Node's canonical encoding. */
export function certificatesToPem(certificates: readonly X509Certificate[]): string {
  return certificates.map((certificate) => certificate.toString()).join('');
}

/** A short name for messages: the subject's CN, or the whole subject on one line. */
export function certificateName(certificate: X509Certificate): string {
  const parts = certificate.subject.split('\n').filter(Boolean);
  const commonName = parts.find((part) => part.startsWith('CN='));
  return commonName ? commonName.slice(3) : parts.join(', ');
}
