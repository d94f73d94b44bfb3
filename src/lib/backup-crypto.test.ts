import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BACKUP_FORMAT_VERSION, openBackup, sealBackup } from './backup-crypto.js';

const PAYLOAD = Buffer.from(
  JSON.stringify({ users: [{ username: 'admin', password_hash: 'scrypt$...' }], secret: 'webhook-secret-123' }),
);
const HEADER_AT = 7;

/** The frame with its header JSON rewritten (and its length fixed), everything else as it was. */
function withHeader(data: string, change: (header: Record<string, any>) => void): string {
  const bytes = Buffer.from(data, 'base64');
  const length = bytes.readUInt16BE(5);
  const header = JSON.parse(bytes.subarray(HEADER_AT, HEADER_AT + length).toString('utf8'));
  change(header);
  const next = Buffer.from(JSON.stringify(header));
  const prefix = Buffer.from(bytes.subarray(0, HEADER_AT));
  prefix.writeUInt16BE(next.length, 5);
  return Buffer.concat([prefix, next, bytes.subarray(HEADER_AT + length)]).toString('base64');
}

describe('backup sealing', () => {
  it('opens with the password it was sealed with, and hides the payload', async () => {
    const data = await sealBackup(PAYLOAD, 'backup pass');
    const bytes = Buffer.from(data, 'base64');
    assert.equal(bytes.subarray(0, 4).toString(), 'OPBK');
    assert.equal(bytes[4], BACKUP_FORMAT_VERSION);
    assert.ok(!bytes.includes(Buffer.from('webhook-secret')), 'the secret is not readable in the blob');
    const opened = await openBackup(data, 'backup pass');
    assert.ok(opened.ok);
    assert.deepEqual(opened.value, PAYLOAD);
  });

  it('uses a new salt and nonce every time', async () => {
    const headers = await Promise.all(
      [1, 2].map(async () => {
        const bytes = Buffer.from(await sealBackup(PAYLOAD, 'same'), 'base64');
        return JSON.parse(bytes.subarray(HEADER_AT, HEADER_AT + bytes.readUInt16BE(5)).toString());
      }),
    );
    assert.notEqual(headers[0].kdf.salt, headers[1].kdf.salt);
    assert.notEqual(headers[0].nonce, headers[1].nonce);
    assert.deepEqual({ ...headers[0].kdf, salt: '' }, { name: 'scrypt', N: 32768, r: 8, p: 1, salt: '' });
  });

  it('tells a wrong password apart from altered data', async () => {
    const data = await sealBackup(PAYLOAD, 'right');
    const wrong = await openBackup(data, 'wrong');
    assert.ok(!wrong.ok);
    assert.equal(wrong.error.details, 'password does not open this backup');

    const bytes = Buffer.from(data, 'base64');
    bytes[bytes.length - 20]! ^= 0x01;
    const altered = await openBackup(bytes.toString('base64'), 'right');
    assert.ok(!altered.ok);
    assert.match(altered.error.details!, /altered or damaged/);
    assert.equal(altered.error.code, 1009);
  });

  it('authenticates the header: changed parameters fail like changed data', async () => {
    const data = await sealBackup(PAYLOAD, 'right');
    // The nonce is not part of the key, so the password check passes and only the integrity check can catch it.
    const renonced = withHeader(data, (header) => {
      header.nonce = Buffer.alloc(12, 7).toString('base64');
    });
    const opened = await openBackup(renonced, 'right');
    assert.ok(!opened.ok);
    assert.match(opened.error.details!, /altered or damaged/);
  });

  it('refuses unknown versions, foreign text and key-derivation parameters it will not run', async () => {
    const data = await sealBackup(PAYLOAD, 'right');
    const bytes = Buffer.from(data, 'base64');
    bytes[4] = 2;
    const future = await openBackup(bytes.toString('base64'), 'right');
    assert.ok(!future.ok);
    assert.match(future.error.details!, /format version 2, which this server cannot read \(it reads version 1\)/);

    for (const [text, expected] of [
      ['not base64 at all!', /not base64/],
      [Buffer.from('hello, this is not a backup').toString('base64'), /not a backup made by/],
      [bytes.subarray(0, 30).toString('base64'), /cut short/],
    ] as const) {
      const result = await openBackup(text, 'right');
      assert.ok(!result.ok);
      assert.match(result.error.details!, expected);
    }
    const greedy = withHeader(data, (header) => {
      header.kdf.N = 2 ** 22;
    });
    const refused = await openBackup(greedy, 'right');
    assert.ok(!refused.ok);
    assert.match(refused.error.details!, /key-derivation parameters outside/);
    const garbled = withHeader(data, (header) => {
      header.cipher = 'rot13';
    });
    const unknownCipher = await openBackup(garbled, 'right');
    assert.ok(!unknownCipher.ok);
    assert.match(unknownCipher.error.details!, /header this server does not understand/);
  });
});
