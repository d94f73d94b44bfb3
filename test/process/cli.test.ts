// The real process: `openprem` commands, a bad configuration, and a graceful shutdown with a request in flight.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { eventually } from '../support/harness.js';
import { runCli, startServer } from '../support/process.js';

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

  it('says at start-up, in JSON lines, where the data lives, where the docs are and how to log in the first time', async () => {
    const freshDir = await mkdtemp(path.join(os.tmpdir(), 'openprem-cli-fresh-'));
    const fresh = await createTestDatabase(freshDir);
    const server = await startServer({ ...fresh.env, WA_LOG_FORMAT: 'auto' });
    try {
      const lines = () => server.output().split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>);
      const listening = lines().find((line) => line.address === server.url)!;
      assert.match(String(listening.msg), /^OpenPrem .* listening on http:\/\/127\.0\.0\.1:\d+$/);
      assert.equal(listening.databaseAt, fresh.env.WA_DB_URL ? new URL(fresh.env.WA_DB_URL).toString() : path.join(freshDir, 'openprem.sqlite'));
      assert.match(String(listening.docs), /README\.md/);
      const firstLogin = await eventually(async () => lines().find((line) => /^first login: /.test(String(line.msg))));
      assert.match(String(firstLogin.msg), /\/v1\/users\/login as admin with the default password "secret"/);
      server.child.kill('SIGTERM');
      assert.equal(await server.exited, 0);
    } finally {
      server.child.kill('SIGKILL');
      await fresh.drop();
      await rm(freshDir, { recursive: true, force: true });
    }
  });

  it('finishes in-flight requests on SIGTERM, then exits 0', async () => {
    const server = await startServer(env);
    try {
      const auth = `Basic ${Buffer.from(`admin:${ADMIN_PASSWORD}`).toString('base64')}`;
      // A login hashes with scrypt (~120 ms), long enough to be caught in flight.
      const login = fetch(`${server.url}/v1/users/login`, { method: 'POST', headers: { authorization: auth } });
      await eventually(async () => {
        const metrics = await fetch(`${server.url}/metrics?format=prometheus`, { headers: { authorization: `Apikey ${API_KEY}` } });
        return /^openprem_http_in_flight_requests\{[^}]*\} 1$/m.test(await metrics.text()) ? true : undefined;
      });
      server.child.kill('SIGTERM');
      const response = await login;
      assert.equal(response.status, 200);
      assert.equal(typeof ((await response.json()) as { users: { token: string }[] }).users[0]?.token, 'string');
      assert.equal(await server.exited, 0);
      await assert.rejects(fetch(`${server.url}/`));
    } finally {
      server.child.kill('SIGKILL');
    }
  });
});
