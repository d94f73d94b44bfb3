// The real process: `openprem` commands, a bad configuration, and a graceful shutdown with a request in flight.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { loginInFlight, runCli, startServer } from '../support/process.js';

const ADMIN_PASSWORD = 'Cli-Admin-Pass1!';
const API_KEY = 'cli-test-api-key-123';

describe('openprem command line', () => {
  let dataDir: string;
  let database: TestDatabase;
  let env: Record<string, string>;

  before(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'openprem-cli-'));
    database = await createTestDatabase(dataDir);
    env = { ...database.env, WA_ADMIN_PASSWORD: ADMIN_PASSWORD, WA_API_KEY: API_KEY };
  });
  after(async () => {
    await database.drop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('stops a bad configuration with one line naming the variable', async () => {
    const result = await runCli(['start'], { ...env, WA_PORT: 'ninety' });
    assert.equal(result.code, 2);
    assert.equal(result.stderr.trim().split('\n').length, 1);
    assert.match(result.stderr, /^openprem: configuration error: WA_PORT: expected a whole number/);
  });

  it('migrates one fresh database from several processes at once: each waits its turn, none fails', async () => {
    const freshDir = await mkdtemp(path.join(os.tmpdir(), 'openprem-cli-fresh-'));
    const fresh = await createTestDatabase(freshDir);
    try {
      const runs = await Promise.all([1, 2, 3, 4, 5, 6].map(() => runCli(['migrate'], { ...fresh.env, WA_ADMIN_PASSWORD: ADMIN_PASSWORD })));
      for (const run of runs) {
        assert.equal(run.code, 0, run.stderr);
        assert.match(run.stdout, /migrations applied/);
      }
    } finally {
      await fresh.drop();
      await rm(freshDir, { recursive: true, force: true });
    }
  });

  it('migrates, then adds, lists and deletes users', async () => {
    assert.match((await runCli(['migrate'], env)).stdout, /migrations applied/);
    const added = await runCli(['user', 'add', 'operator', '--admin'], env, 'Operator-Pass1!\n');
    assert.equal(added.code, 0, added.stderr);
    const weak = await runCli(['user', 'add', 'weakling'], env, 'weak\n');
    assert.equal(weak.code, 2);
    assert.match(weak.stderr, /password must be 8 to 64 characters/);
    const listed = await runCli(['user', 'list'], env);
    assert.match(listed.stdout, /^admin\tROLE_ADMIN$/m);
    assert.match(listed.stdout, /^operator\tROLE_ADMIN$/m);
    assert.equal((await runCli(['user', 'delete', 'operator'], env)).code, 0);
    assert.doesNotMatch((await runCli(['user', 'list'], env)).stdout, /operator/);
    assert.equal((await runCli(['bogus'], env)).code, 2);
  });

  it('finishes in-flight requests on SIGTERM, then exits 0', async () => {
    const server = await startServer(env);
    try {
      const login = await loginInFlight(server.url, ADMIN_PASSWORD, API_KEY);
      server.child.kill('SIGTERM');
      const response = await login.response;
      assert.equal(response.status, 200);
      assert.equal(typeof ((await response.json()) as { users: { token: string }[] }).users[0]?.token, 'string');
      assert.equal(await server.exited, 0);
      await assert.rejects(fetch(`${server.url}/`));
    } finally {
      server.child.kill('SIGKILL');
    }
  });
});
