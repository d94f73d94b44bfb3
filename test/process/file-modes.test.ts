// What the real `openprem start` leaves on disk is its owner's alone: the data directory it creates 0700; the
// SQLite database with its -wal and -shm, the secrets key file and media files 0600. Modes an older release (or a
// copy by hand) left open are closed at the next start, with a log line each.
import assert from 'node:assert/strict';
import { chmod, mkdtemp, readdir, rm, stat, unlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createTestDatabase, TEST_DIALECT, type TestDatabase } from '../support/database.js';
import { fileOf } from '../support/file-server.js';
import { runCli, startServer } from '../support/process.js';

const ADMIN_PASSWORD = 'Modes-Admin-Pass1!';
const modeOf = async (file: string) => (await stat(file)).mode & 0o777;

/** Every file and directory under `root`, with its mode. */
async function modesUnder(root: string): Promise<{ files: number[]; dirs: number[] }> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  const files: number[] = [];
  const dirs: number[] = [];
  for (const entry of entries) {
    const mode = await modeOf(path.join(entry.parentPath, entry.name));
    (entry.isDirectory() ? dirs : files).push(mode);
  }
  return { files, dirs };
}

describe('file modes of a started node', () => {
  let base: string;
  let dataDir: string;
  let database: TestDatabase;
  let env: Record<string, string>;
  before(async () => {
    base = await mkdtemp(path.join(os.tmpdir(), 'openprem-modes-'));
    dataDir = path.join(base, 'data');
    database = await createTestDatabase(dataDir);
    // No WA_SECRETS_KEY: the node makes its key file. Media as files on both dialects, so their modes can be seen.
    env = {
      ...database.env,
      WA_ADMIN_PASSWORD: ADMIN_PASSWORD,
      WA_MEDIA_STORE: 'directory',
      WA_RATE_LIMIT_DEFAULT: 'off',
    };
  });
  after(async () => {
    await database.drop();
    await rm(base, { recursive: true, force: true });
  });

  const sqliteFiles = () =>
    ['openprem.sqlite', 'openprem.sqlite-wal', 'openprem.sqlite-shm'].map((name) => path.join(dataDir, name));

  async function withServer(work: (url: string, output: () => string) => Promise<void>): Promise<void> {
    const server = await startServer(env);
    try {
      await work(server.url, server.output);
    } finally {
      server.child.kill('SIGTERM');
      assert.equal(await server.exited, 0);
    }
  }

  async function adminToken(url: string): Promise<string> {
    const auth = `Basic ${Buffer.from(`admin:${ADMIN_PASSWORD}`).toString('base64')}`;
    const response = await fetch(`${url}/v1/users/login`, { method: 'POST', headers: { authorization: auth } });
    return ((await response.json()) as { users: { token: string }[] }).users[0]!.token;
  }

  it('creates the data directory 0700 and the database, key and media files 0600', async () => {
    await withServer(async (url) => {
      const token = await adminToken(url);
      const headers = { authorization: `Bearer ${token}` };
      const media = await fetch(`${url}/v1/media`, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'image/png' },
        body: fileOf('image/png', 4096),
      });
      assert.equal(media.status, 201, await media.clone().text());
      const patched = await fetch(`${url}/v1/settings/application`, {
        method: 'PATCH',
        headers: { ...headers, 'content-type': 'application/json' },
        body: JSON.stringify({ webhooks: { secret: 'a-webhook-secret-for-modes' } }),
      });
      assert.equal(patched.status, 200);

      assert.equal(await modeOf(dataDir), 0o700);
      assert.equal(await modeOf(path.join(dataDir, 'secrets.key')), 0o600);
      if (TEST_DIALECT === 'sqlite') for (const file of sqliteFiles()) assert.equal(await modeOf(file), 0o600, file);
      const stored = await modesUnder(path.join(dataDir, 'media'));
      assert.equal(stored.files.length, 1);
      assert.deepEqual([...new Set(stored.files)], [0o600]);
      assert.deepEqual([...new Set(stored.dirs)], [0o700]);
    });
  });

  it('closes modes left open at the next start, logs each, and keeps its key (the sealed secret still opens)', async () => {
    const loosened = [
      path.join(dataDir, 'secrets.key'),
      ...(TEST_DIALECT === 'sqlite' ? [path.join(dataDir, 'openprem.sqlite')] : []),
    ];
    await chmod(dataDir, 0o755);
    for (const file of loosened) await chmod(file, 0o644);
    await withServer(async (url, output) => {
      assert.equal(await modeOf(dataDir), 0o700);
      for (const file of loosened) assert.equal(await modeOf(file), 0o600, file);
      const logged = output()
        .split('\n')
        .filter((line) => line.includes('closed a file of the data directory'));
      assert.equal(logged.length, 1 + loosened.length, output());
      const token = await adminToken(url);
      const settings = await fetch(`${url}/v1/settings/application`, { headers: { authorization: `Bearer ${token}` } });
      assert.equal(((await settings.json()) as any).settings.application.webhooks.secret_set, true);
    });
  });

  it('a lost key file: the start refuses in one line; `openprem secrets forget` drops the sealed secret and it starts', async () => {
    await unlink(path.join(dataDir, 'secrets.key'));
    const refused = await runCli(['start'], env);
    assert.equal(refused.code, 2);
    assert.match(
      refused.stderr,
      /^openprem: configuration error: WA_SECRETS_KEY: the database's secrets are sealed with key [0-9a-f]{16}, but this node's key is [0-9a-f]{16}: set the same WA_SECRETS_KEY on every node/,
    );
    const forgot = await runCli(['secrets', 'forget'], env);
    assert.equal(forgot.code, 0, forgot.stderr);
    assert.match(forgot.stdout, /^dropped the webhook secret; secrets are now sealed with key [0-9a-f]{16}$/m);
    await withServer(async (url) => {
      const settings = await fetch(`${url}/v1/settings/application`, {
        headers: { authorization: `Bearer ${await adminToken(url)}` },
      });
      assert.equal(((await settings.json()) as any).settings.application.webhooks.secret_set, false);
    });
  });
});
