import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ConfigError, loadConfig } from '../config.js';
import { loadSecretsKey, SECRETS_KEY_FILE } from './secrets-key.js';

const quiet = { info() {}, warn() {} };

describe('WA_SECRETS_KEY', () => {
  it('takes 32 bytes as 64 hex digits, base64 or base64url; absent means the key file', () => {
    const key = randomBytes(32);
    for (const text of [key.toString('hex'), key.toString('base64'), key.toString('base64url')]) {
      assert.deepEqual(loadConfig({ WA_SECRETS_KEY: text }).secretsKey, key);
    }
    assert.equal(loadConfig({}).secretsKey, null);
  });

  it('refuses anything else in one line naming the variable, never echoing the value', () => {
    for (const bad of [
      'short',
      randomBytes(16).toString('base64'),
      randomBytes(33).toString('hex'),
      `${randomBytes(32).toString('hex')}zz`,
    ]) {
      assert.throws(
        () => loadConfig({ WA_SECRETS_KEY: bad }),
        (error: unknown) =>
          error instanceof ConfigError &&
          error.variable === 'WA_SECRETS_KEY' &&
          !error.message.includes(bad) &&
          !error.message.includes('\n'),
      );
    }
  });
});

describe('the key file', () => {
  let dir: string;
  before(async () => (dir = await mkdtemp(path.join(os.tmpdir(), 'openprem-key-'))));
  after(() => rm(dir, { recursive: true, force: true }));

  it('is written 0600 on the first start and reused after; WA_SECRETS_KEY wins over it', async () => {
    const first = await loadSecretsKey(null, dir, quiet);
    const file = path.join(dir, SECRETS_KEY_FILE);
    assert.equal((await stat(file)).mode & 0o777, 0o600);
    assert.deepEqual(await loadSecretsKey(null, dir, quiet), first);
    const configured = randomBytes(32);
    assert.deepEqual(await loadSecretsKey(configured, dir, quiet), configured);
    assert.equal((await readFile(file, 'utf8')).trim(), first.toString('base64'));
  });

  it('is closed to 0600 when found readable by others, and a damaged one stops the start naming the file', async () => {
    const file = path.join(dir, SECRETS_KEY_FILE);
    await chmod(file, 0o644);
    const warnings: string[] = [];
    await loadSecretsKey(null, dir, { info() {}, warn: (_obj, message) => warnings.push(message) });
    assert.equal((await stat(file)).mode & 0o777, 0o600);
    assert.equal(warnings.length, 1);
    await writeFile(file, 'not a key\n');
    await assert.rejects(
      loadSecretsKey(null, dir, quiet),
      (error: unknown) =>
        error instanceof ConfigError && error.message.includes(file) && error.message.includes('WA_SECRETS_KEY'),
    );
  });
});
