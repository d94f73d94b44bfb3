// Secrets kept in the database (the webhook secret, media providers' credentials, the uploaded private key) are
// sealed with the node key (WA_SECRETS_KEY, or <WA_DATA_DIR>/secrets.key): AES-256-GCM, a random 96-bit nonce per
// value, in a self-describing text envelope that fits the text columns of both dialects:
//
//   enc:v1:<key id>:<nonce>:<tag>:<ciphertext>        (nonce, tag and ciphertext in base64url)
//
// The key id is a short hash of the key, so a node holding another key says so instead of failing on the tag;
// "enc:v1:<key id>" is the GCM additional data, so an envelope moved under another key id fails authentication.
// Anything that is not a whole envelope is clear text from before sealing existed, and is sealed at start-up.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

export const SECRETS_KEY_BYTES = 32;
const VERSION = 'v1';
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const ENVELOPE = /^enc:v1:([0-9a-f]{16}):([A-Za-z0-9_-]{16}):([A-Za-z0-9_-]{22}):([A-Za-z0-9_-]*)$/;

/** Why a sealed value cannot be opened: sealed with another key, or altered after sealing. */
export class SealedSecretError extends Error {
  constructor(
    readonly reason: 'other-key' | 'damaged',
    readonly keyId: string,
    message: string,
  ) {
    super(message);
    this.name = 'SealedSecretError';
  }
}

export interface SecretsSealer {
  /** The short hash naming this node's key; safe to log and to store. */
  readonly keyId: string;
  seal(plain: string): string;
  /** The clear text of an envelope; throws SealedSecretError when it cannot be opened with this key. */
  open(sealed: string): string;
}

/** 16 hex digits of SHA-256 over a label and the key: names the key without revealing anything usable about it. */
export function secretsKeyId(key: Buffer): string {
  return createHash('sha256').update('openprem secrets key id\0').update(key).digest('hex').slice(0, 16);
}

/** True for a whole envelope of this format, whatever its key; false for clear text. */
export function isSealed(value: string): boolean {
  return ENVELOPE.test(value);
}

/** The key id an envelope names, or null for clear text. */
export function sealedKeyId(value: string): string | null {
  return ENVELOPE.exec(value)?.[1] ?? null;
}

export function createSecretsSealer(key: Buffer): SecretsSealer {
  if (key.length !== SECRETS_KEY_BYTES)
    throw new Error(`a secrets key is ${SECRETS_KEY_BYTES} bytes, not ${key.length}`);
  const keyId = secretsKeyId(key);
  const aad = Buffer.from(`enc:${VERSION}:${keyId}`, 'utf8');
  return {
    keyId,
    seal(plain) {
      const nonce = randomBytes(NONCE_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_BYTES });
      cipher.setAAD(aad);
      const ciphertext = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return [
        'enc',
        VERSION,
        keyId,
        nonce.toString('base64url'),
        cipher.getAuthTag().toString('base64url'),
        ciphertext.toString('base64url'),
      ].join(':');
    },
    open(sealed) {
      const parts = ENVELOPE.exec(sealed);
      if (!parts)
        throw new SealedSecretError('damaged', keyId, 'the stored value is not a sealed secret of a known format');
      const [, sealedWith, nonce, tag, ciphertext] = parts as unknown as [string, string, string, string, string];
      if (sealedWith !== keyId) {
        throw new SealedSecretError(
          'other-key',
          sealedWith,
          `a stored secret was sealed with secrets key ${sealedWith}, but this node's key is ${keyId}: give every node the same WA_SECRETS_KEY (or the same secrets.key file)`,
        );
      }
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(nonce, 'base64url'), {
          authTagLength: TAG_BYTES,
        });
        decipher.setAAD(aad);
        decipher.setAuthTag(Buffer.from(tag, 'base64url'));
        return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString(
          'utf8',
        );
      } catch {
        throw new SealedSecretError(
          'damaged',
          keyId,
          'a stored secret was altered or damaged after it was sealed (it fails its integrity check)',
        );
      }
    },
  };
}
