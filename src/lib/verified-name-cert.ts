// The verified-name certificate of POST /v1/account (`cert`): base64 of a protobuf message, as WhatsApp Manager
// hands it out (docs/api/account-and-registration.md#request-a-registration-code). Its field 1 holds the certificate,
// whose field 1 holds the serialized details; in the details, field 2 is the issuer ("ent:wa"), field 4 the verified
// name (`vname`, the display name the 202 answer shows) and field 10 the issue time. The signatures (Meta's) cannot
// be checked outside WhatsApp, so the sandbox checks the structure and reads the name.
//
// Only the protobuf wire format is needed (varints and length-delimited fields), so it is read here by hand
// rather than through a protobuf library and a schema.

export interface VerifiedNameDetails {
  vname: string;
  issuer: string | null;
  serial: bigint | null;
}

// Certificates are a few hundred bytes; a bound keeps a hostile 1 MB "certificate" from costing anything.
export const MAX_CERT_CHARS = 8192;
const VNAME_MAX = 256;

const WIRE_VARINT = 0;
const WIRE_FIXED64 = 1;
const WIRE_BYTES = 2;
const WIRE_FIXED32 = 5;

type Field = { number: number; varint?: bigint; bytes?: Buffer };

/** The name and issuer in a certificate, or why it is not one. */
export function readVerifiedNameCert(cert: string): VerifiedNameDetails | string {
  const text = cert.trim();
  if (text.length === 0 || text.length > MAX_CERT_CHARS)
    return `must be a base64 certificate of 1 to ${MAX_CERT_CHARS} characters`;
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(text)) return 'is not base64';
  const outer = readMessage(Buffer.from(text, text.includes('-') || text.includes('_') ? 'base64url' : 'base64'));
  // Certificates come wrapped ({1: {1: details, …}, …}) or bare ({1: details, …}): accept either.
  for (const path of [[1, 1], [1]]) {
    const details = descend(outer, path);
    const vname = details && utf8(bytesOf(details, 4));
    if (details && vname !== null && vname.trim().length > 0 && vname.length <= VNAME_MAX) {
      return { vname, issuer: utf8(bytesOf(details, 2)), serial: details.find((f) => f.number === 1)?.varint ?? null };
    }
  }
  return 'is not a verified name certificate (no verified name found in it)';
}

/** Builds a certificate with this name: for the sandbox's examples and tests (unsigned, so useless elsewhere). */
export function buildVerifiedNameCert(vname: string, serial = 1n, issuedAt = 0): string {
  const details = Buffer.concat([
    varintField(1, serial),
    bytesField(2, Buffer.from('ent:wa')),
    bytesField(4, Buffer.from(vname)),
    varintField(10, BigInt(issuedAt)),
  ]);
  const certificate = Buffer.concat([bytesField(1, details), bytesField(3, Buffer.alloc(64))]);
  return bytesField(1, certificate).toString('base64');
}

function descend(fields: Field[] | null, path: number[]): Field[] | null {
  let current = fields;
  for (const number of path) {
    const bytes = current && bytesOf(current, number);
    current = bytes ? readMessage(bytes) : null;
  }
  return current;
}

function bytesOf(fields: Field[], number: number): Buffer | undefined {
  return fields.find((f) => f.number === number && f.bytes !== undefined)?.bytes;
}

function utf8(bytes: Buffer | undefined): string | null {
  if (!bytes) return null;
  const text = bytes.toString('utf8');
  // Replacement characters mean the bytes were not UTF-8 text; control characters have no place in a name.
  return text.includes('\uFFFD') || /\p{Cc}/u.test(text) ? null : text;
}

/** The fields of one protobuf message, or null when the bytes are not one. */
function readMessage(buffer: Buffer): Field[] | null {
  const fields: Field[] = [];
  let offset = 0;
  while (offset < buffer.length) {
    const key = readVarint(buffer, offset);
    if (!key) return null;
    offset = key.next;
    const number = Number(key.value >> 3n);
    const wire = Number(key.value & 7n);
    if (number === 0) return null;
    if (wire === WIRE_VARINT) {
      const value = readVarint(buffer, offset);
      if (!value) return null;
      fields.push({ number, varint: value.value });
      offset = value.next;
    } else if (wire === WIRE_BYTES) {
      const length = readVarint(buffer, offset);
      if (!length || length.next + Number(length.value) > buffer.length) return null;
      fields.push({ number, bytes: buffer.subarray(length.next, length.next + Number(length.value)) });
      offset = length.next + Number(length.value);
    } else if (wire === WIRE_FIXED64 || wire === WIRE_FIXED32) {
      offset += wire === WIRE_FIXED64 ? 8 : 4;
      if (offset > buffer.length) return null;
    } else {
      return null;
    }
  }
  return fields;
}

function readVarint(buffer: Buffer, start: number): { value: bigint; next: number } | null {
  let value = 0n;
  for (let i = 0; i < 10 && start + i < buffer.length; i++) {
    const byte = buffer[start + i]!;
    value |= BigInt(byte & 0x7f) << BigInt(7 * i);
    if ((byte & 0x80) === 0) return { value, next: start + i + 1 };
  }
  return null;
}

function varint(value: bigint): Buffer {
  const bytes: number[] = [];
  let rest = value;
  do {
    const low = Number(rest & 0x7fn);
    rest >>= 7n;
    bytes.push(rest > 0n ? low | 0x80 : low);
  } while (rest > 0n);
  return Buffer.from(bytes);
}

function varintField(number: number, value: bigint): Buffer {
  return Buffer.concat([varint(BigInt(number << 3) | BigInt(WIRE_VARINT)), varint(value)]);
}

function bytesField(number: number, bytes: Buffer): Buffer {
  return Buffer.concat([varint(BigInt(number << 3) | BigInt(WIRE_BYTES)), varint(BigInt(bytes.length)), bytes]);
}
