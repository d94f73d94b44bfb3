// The sealed form of a backup (POST /v1/settings/backup): a key derived from the password with scrypt, the
// payload compressed and encrypted with AES-256-GCM, a random salt and nonce per backup, every parameter in the
// blob. The frame, base64 as a whole:
//
//   "OPBK" | format version (1 byte) | header length (2 bytes, big-endian) | header JSON | ciphertext | GCM tag (16)
//
// The header carries the scrypt parameters, the salt, the nonce and a password check; all of the bytes before the
// ciphertext are the GCM additional data, so changing any parameter fails authentication like changing the data.
// The check (SHA-256 of a second derived key, not of the encryption key) tells a wrong password apart from a
// damaged blob; it gives a guesser nothing the GCM tag would not, since both need the same scrypt per guess.
import { createCipheriv, createDecipheriv, createHash, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { fail, ok, type Result } from './result.js';

export const BACKUP_FORMAT_VERSION = 1;
const MAGIC = Buffer.from('OPBK', 'ascii');
const PREFIX_BYTES = MAGIC.length + 1 + 2;
const TAG_BYTES = 16;

// N=2^15, r=8, p=1, as for passwords (src/lib/secrets.ts): about 120 ms per backup or restore on the thread pool.
const SEAL_PARAMETERS = { N: 2 ** 15, r: 8, p: 1 } as const;
// What a blob may ask of the restoring server: up to 2^17 × 8 × 128 B = 128 MiB of scrypt memory, no more.
const MAX_SCRYPT_MEMORY = 128 * 1024 * 1024;
// A restored payload is settings, users and templates: megabytes at most. Bounds a blob that inflates without end.
const MAX_PAYLOAD_BYTES = 64 * 1024 * 1024;

interface Header {
  kdf: { name: 'scrypt'; N: number; r: number; p: number; salt: string };
  cipher: 'aes-256-gcm';
  nonce: string;
  check: string;
}

export async function sealBackup(payload: Buffer, password: string): Promise<string> {
  const kdf = { name: 'scrypt' as const, ...SEAL_PARAMETERS, salt: randomBytes(16).toString('base64') };
  const keys = await deriveKeys(password, kdf);
  const header: Header = { kdf, cipher: 'aes-256-gcm', nonce: randomBytes(12).toString('base64'), check: keys.check };
  const headerBytes = Buffer.from(JSON.stringify(header), 'utf8');
  const prefix = Buffer.alloc(PREFIX_BYTES);
  MAGIC.copy(prefix);
  prefix.writeUInt8(BACKUP_FORMAT_VERSION, MAGIC.length);
  prefix.writeUInt16BE(headerBytes.length, MAGIC.length + 1);
  const aad = Buffer.concat([prefix, headerBytes]);
  const cipher = createCipheriv('aes-256-gcm', keys.encryption, Buffer.from(header.nonce, 'base64'));
  cipher.setAAD(aad);
  const ciphertext = Buffer.concat([cipher.update(deflateRawSync(payload)), cipher.final()]);
  return Buffer.concat([aad, ciphertext, cipher.getAuthTag()]).toString('base64');
}

/** The payload, or the 400 that says why not: not a backup, an unknown version, a wrong password, altered data. */
export async function openBackup(data: string, password: string): Promise<Result<Buffer>> {
  const frame = readFrame(data);
  if (typeof frame === 'string') return fail('invalidParameter', `data ${frame}`);
  if (frame.version !== BACKUP_FORMAT_VERSION) {
    return fail(
      'invalidParameter',
      `data is a backup of format version ${frame.version}, which this server cannot read (it reads version ${BACKUP_FORMAT_VERSION})`,
    );
  }
  const header = readHeader(frame.headerBytes);
  if (typeof header === 'string') return fail('invalidParameter', `data ${header}`);
  const keys = await deriveKeys(password, header.kdf);
  const expected = Buffer.from(header.check, 'base64');
  const actual = Buffer.from(keys.check, 'base64');
  if (expected.length !== actual.length || !timingSafeEqual(actual, expected)) {
    return fail('invalidParameter', 'password does not open this backup');
  }
  try {
    const decipher = createDecipheriv('aes-256-gcm', keys.encryption, Buffer.from(header.nonce, 'base64'));
    decipher.setAAD(frame.aad);
    decipher.setAuthTag(frame.tag);
    const compressed = Buffer.concat([decipher.update(frame.ciphertext), decipher.final()]);
    return ok(inflateRawSync(compressed, { maxOutputLength: MAX_PAYLOAD_BYTES }));
  } catch {
    return fail(
      'invalidParameter',
      'data was altered or damaged after the backup was made (it fails its integrity check)',
    );
  }
}

function readFrame(data: string) {
  const text = data.trim();
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(text)) return 'is not a backup made by /v1/settings/backup (not base64)';
  const bytes = Buffer.from(text, 'base64');
  if (bytes.length < PREFIX_BYTES || !bytes.subarray(0, MAGIC.length).equals(MAGIC))
    return 'is not a backup made by /v1/settings/backup';
  const headerLength = bytes.readUInt16BE(MAGIC.length + 1);
  const headerEnd = PREFIX_BYTES + headerLength;
  if (bytes.length < headerEnd + TAG_BYTES) return 'is cut short: it is not a whole backup';
  return {
    version: bytes.readUInt8(MAGIC.length),
    aad: bytes.subarray(0, headerEnd),
    headerBytes: bytes.subarray(PREFIX_BYTES, headerEnd),
    ciphertext: bytes.subarray(headerEnd, bytes.length - TAG_BYTES),
    tag: bytes.subarray(bytes.length - TAG_BYTES),
  };
}

function readHeader(bytes: Buffer): Header | string {
  let header: Header;
  try {
    header = JSON.parse(bytes.toString('utf8')) as Header;
  } catch {
    return 'has an unreadable header: it was altered or damaged';
  }
  const kdf = header?.kdf;
  const fits =
    kdf?.name === 'scrypt' &&
    header.cipher === 'aes-256-gcm' &&
    isBase64(kdf.salt) &&
    isBase64(header.nonce) &&
    isBase64(header.check);
  if (!fits) return 'has a header this server does not understand: it was altered or damaged';
  const powerOfTwo = Number.isInteger(kdf.N) && kdf.N >= 2 ** 10 && (kdf.N & (kdf.N - 1)) === 0;
  if (
    !powerOfTwo ||
    !isSmallInteger(kdf.r, 32) ||
    !isSmallInteger(kdf.p, 16) ||
    128 * kdf.N * kdf.r > MAX_SCRYPT_MEMORY
  ) {
    return 'asks for key-derivation parameters outside what this server accepts';
  }
  return header;
}

async function deriveKeys(password: string, kdf: Header['kdf']): Promise<{ encryption: Buffer; check: string }> {
  const options = { N: kdf.N, r: kdf.r, p: kdf.p, maxmem: 128 * kdf.N * kdf.r + 16 * 1024 * 1024 };
  const material = await new Promise<Buffer>((resolve, reject) => {
    scrypt(password, Buffer.from(kdf.salt, 'base64'), 64, options, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
  return {
    encryption: material.subarray(0, 32),
    check: createHash('sha256').update(material.subarray(32)).digest('base64'),
  };
}

function isBase64(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= 256 && /^[A-Za-z0-9+/]+={0,2}$/.test(value);
}

function isSmallInteger(value: unknown, max: number): boolean {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= max;
}
