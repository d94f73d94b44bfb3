// The node key that seals secrets in the database: WA_SECRETS_KEY when set, else <WA_DATA_DIR>/secrets.key, which
// the first start writes (32 random bytes, base64, mode 0600) and every later start reuses. Nodes sharing one
// PostgreSQL database need the same key: set one WA_SECRETS_KEY everywhere, or copy the file.
import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ConfigError, parseSecretsKey } from '../config.js';
import { tightenPrivateFiles } from '../lib/private-files.js';
import { SECRETS_KEY_BYTES } from '../lib/sealed-secrets.js';

export const SECRETS_KEY_FILE = 'secrets.key';

interface Log {
  info(obj: object, message: string): void;
  warn(obj: object, message: string): void;
}

export async function loadSecretsKey(configured: Buffer | null, dataDir: string, log: Log): Promise<Buffer> {
  if (configured) return configured;
  const file = path.join(dataDir, SECRETS_KEY_FILE);
  const kept = await readKeyFile(file);
  if (kept) {
    await tightenPrivateFiles([file], log);
    return kept;
  }
  const key = randomBytes(SECRETS_KEY_BYTES);
  try {
    // 'wx': of two processes starting on one data directory, one writes the file and the other reads it.
    await writeFile(file, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx', flush: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
      throw new ConfigError(
        'WA_DATA_DIR',
        `cannot write the secrets key ${file} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
      );
    }
    return (await readKeyFile(file))!;
  }
  log.info(
    { file },
    'generated the key that seals secrets in the database; every node sharing the database needs the same key',
  );
  return key;
}

async function readKeyFile(file: string): Promise<Buffer | null> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new ConfigError(
      'WA_DATA_DIR',
      `cannot read the secrets key ${file} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
    );
  }
  try {
    return parseSecretsKey(text.trim());
  } catch {
    throw new ConfigError(
      'WA_DATA_DIR',
      `${file} does not hold a secrets key (32 bytes, base64): put the right file back, or set WA_SECRETS_KEY`,
    );
  }
}
