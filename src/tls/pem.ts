// PEM text (RFC 7468): the blocks of a file in order, and the canonical form OpenPrem stores. Text outside the
// blocks (comments, OpenSSL's "Bag Attributes") is ignored, as OpenSSL ignores it.
import type { X509Certificate } from 'node:crypto';

export interface PemBlock {
  /** The label of BEGIN/END, e.g. CERTIFICATE, PRIVATE KEY. */
  label: string;
  /** The block as text, BEGIN and END lines included. */
  text: string;
  /** True for RFC 1421 headers (Proc-Type, DEK-Info): an OpenSSL key encrypted with a passphrase. */
  hasHeaders: boolean;
}

// A bound on the work one upload can cause: a bundle of 256 certificates takes ~60 ms to check (one parse ~0.2 ms,
// measured on the 2-core test machine; a 3-certificate external upload ~1.5 ms). A CA bundle of every public root
// is ~150 certificates; nothing legitimate comes near 256 blocks. (1 MB of unterminated BEGIN lines: ~30 ms.)
export const MAX_PEM_BLOCKS = 256;

const BEGIN = /^-----BEGIN ([A-Z0-9][A-Z0-9 ]{0,62})-----$/;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * The blocks in file order; null when a block's body is not base64 or there are more than MAX_PEM_BLOCKS.
 * One pass over the lines: a regular expression with a back-reference to the label would rescan the rest of
 * the body for every BEGIN without an END, quadratic in the body size.
 */
export function readPemBlocks(text: string): PemBlock[] | null {
  const blocks: PemBlock[] = [];
  let open: { label: string; lines: string[] } | null = null;
  for (const rawLine of text.split('\n')) {
    const line = rawLine.trim();
    const begin = BEGIN.exec(line);
    if (begin) {
      open = { label: begin[1]!, lines: [] };
    } else if (open && line === `-----END ${open.label}-----`) {
      const block = closeBlock(open.label, open.lines);
      if (!block) return null;
      blocks.push(block);
      if (blocks.length > MAX_PEM_BLOCKS) return null;
      open = null;
    } else if (open && line !== '') {
      open.lines.push(line);
    }
  }
  return blocks;
}

function closeBlock(label: string, lines: readonly string[]): PemBlock | null {
  const hasHeaders = lines.some((line) => line.includes(':'));
  const base64 = lines.filter((line) => !line.includes(':')).join('');
  if (base64.length === 0 || !BASE64.test(base64)) return null;
  return { label, text: `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----`, hasHeaders };
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
