// The real process: `openprem` commands, a bad configuration, and a graceful shutdown with a request in flight.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createTestDatabase, TEST_DIALECT, TEST_PG_URL, type TestDatabase } from '../support/database.js';
import { eventually } from '../support/harness.js';
import { loginInFlight, runCli, runCliOnTerminal, startServer } from '../support/process.js';

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
      const runs = await Promise.all(
        [1, 2, 3, 4, 5, 6].map(() => runCli(['migrate'], { ...fresh.env, WA_ADMIN_PASSWORD: ADMIN_PASSWORD })),
      );
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
    // Every broken rule at once.
    assert.match(
      weak.stderr,
      /^openprem: password must be 8 to 64 characters long; must contain a digit; must contain an upper-case letter; must contain one of /,
    );
    const listed = await runCli(['user', 'list'], env);
    assert.match(listed.stdout, /^admin\tROLE_ADMIN$/m);
    assert.match(listed.stdout, /^operator\tROLE_ADMIN$/m);
    assert.equal((await runCli(['user', 'delete', 'operator'], env)).code, 0);
    assert.doesNotMatch((await runCli(['user', 'list'], env)).stdout, /operator/);
    assert.equal((await runCli(['bogus'], env)).code, 2);
  });

  it('answers help and version as commands, like --help and --version', async () => {
    const help = await runCli(['help'], env);
    assert.equal(help.code, 0, help.stderr);
    assert.match(help.stdout, /^Usage:$/m);
    assert.equal(help.stdout, (await runCli(['--help'], env)).stdout);
    const version = await runCli(['version'], env);
    assert.equal(version.code, 0, version.stderr);
    assert.match(version.stdout, /^\d+\.\d+\.\d+\n$/);
    assert.equal(version.stdout, (await runCli(['--version'], env)).stdout);
  });

  it('answers an option with the WA_* variable to set instead, the usage, and exit code 2', async () => {
    const port = await runCli(['start', '--port', '8080'], env);
    assert.equal(port.code, 2);
    assert.match(
      port.stderr,
      /^openprem: unknown option --port: set WA_PORT=8080 instead \(configuration comes from WA_\* environment variables\)\n\n/,
    );
    assert.match(port.stderr, /^Usage:$/m);
    assert.doesNotMatch(port.stderr, /ERR_PARSE_ARGS|TypeError/);
    const secret = await runCli(['start', '--db=postgres://u:hunter2@db/wa'], env);
    assert.match(secret.stderr, /^openprem: unknown option --db: set WA_DB_URL instead/);
    assert.doesNotMatch(secret.stderr, /hunter2/, 'a secret value is not repeated');
    assert.match(
      (await runCli(['start', '--turbo'], env)).stderr,
      /^openprem: unknown option --turbo: openprem's configuration comes from WA_\* environment variables/,
    );
  });

  it('lists every missing or malformed WA_CLOUD_* variable at once, one per line, secrets not repeated', async () => {
    const result = await runCli(['start'], {
      ...env,
      WA_GATEWAY: 'cloud',
      WA_CLOUD_APP_SECRET: 'not so secret',
      WA_CLOUD_WABA_ID: '102290129340398',
    });
    assert.equal(result.code, 2);
    assert.equal(
      result.stderr,
      [
        'openprem: configuration error: 5 variables to fix:',
        '  WA_CLOUD_ACCESS_TOKEN: required when WA_GATEWAY=cloud',
        '  WA_CLOUD_PHONE_NUMBER_ID: required when WA_GATEWAY=cloud',
        '  WA_CLOUD_BUSINESS_NUMBER: required when WA_GATEWAY=cloud',
        '  WA_CLOUD_APP_SECRET: expected the app secret: 16 to 128 letters and digits (the value is not shown)',
        '  WA_CLOUD_VERIFY_TOKEN: required when WA_GATEWAY=cloud',
        '',
      ].join('\n'),
    );
  });

  describe('on a terminal, the password is asked twice and never shown', () => {
    const typed = 'Typed-Secret1!';

    // The two entries match only if the backspace took the stray x back out of the first.
    it('creates the user with what was typed, backspace included, and shows none of it', async () => {
      const result = await runCliOnTerminal(['user', 'add', 'typist'], env, [
        { after: /password: /, type: `${typed}x\x7f\r` },
        { after: /password again: /, type: `${typed}\r` },
      ]);
      assert.equal(result.code, 0, result.screen);
      assert.match(result.screen, /user typist created/);
      assert.doesNotMatch(result.screen, /Typed-Secret/);
      assert.match((await runCli(['user', 'list'], env)).stdout, /^typist\tROLE_USER$/m);
    });

    it('refuses two different entries, and stops on Ctrl-C, changing nothing', async () => {
      const differ = await runCliOnTerminal(['user', 'password', 'typist'], env, [
        { after: /password: /, type: 'Other-Secret1!\r' },
        { after: /password again: /, type: 'Other-Secret2!\r' },
      ]);
      assert.equal(differ.code, 1, differ.screen);
      assert.match(differ.screen, /openprem: the two passwords differ; nothing was changed/);
      assert.doesNotMatch(differ.screen, /Other-Secret/);
      const interrupted = await runCliOnTerminal(['user', 'add', 'quitter'], env, [
        { after: /password: /, type: 'Half-Typed\x03' },
      ]);
      assert.equal(interrupted.code, 130, interrupted.screen);
      assert.match(interrupted.screen, /openprem: cancelled; nothing was changed/);
      assert.doesNotMatch(interrupted.screen, /Half-Typed/);
      assert.doesNotMatch((await runCli(['user', 'list'], env)).stdout, /quitter/);
    });
  });

  it('a port in use stops the start with one line naming WA_HOST and WA_PORT, exit code 1', async () => {
    const holder = net.createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const { port } = holder.address() as net.AddressInfo;
    try {
      const result = await runCli(['start'], { ...env, WA_PORT: String(port), WA_LOG_LEVEL: 'silent' });
      assert.equal(result.code, 1);
      assert.equal(
        result.stderr,
        `openprem: port ${port} on 127.0.0.1 is already in use (WA_HOST=127.0.0.1, WA_PORT=${port}): stop the process that holds it, or set WA_PORT to a free port\n`,
      );
    } finally {
      holder.close();
    }
  });

  it('an unreachable PostgreSQL server stops the start with one line naming WA_DB_URL and its address', async () => {
    const closed = net.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as net.AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    const result = await runCli(['start'], { ...env, WA_DB_URL: `postgres://postgres@127.0.0.1:${port}/openprem` });
    assert.equal(result.code, 1);
    assert.equal(
      result.stderr,
      `openprem: the PostgreSQL server at 127.0.0.1:${port} (WA_DB_URL) is not reachable (ECONNREFUSED): check that it runs and accepts TCP connections at that address\n`,
    );
  });

  it('a missing PostgreSQL database stops the start with one line saying how to create it', {
    skip: TEST_DIALECT !== 'postgres' && 'needs PostgreSQL',
  }, async () => {
    const server = new URL(TEST_PG_URL);
    const missing = `openprem_missing_${process.pid}`;
    const onPrem = {
      WA_DB_ENGINE: 'PGSQL',
      WA_DB_HOSTNAME: server.hostname,
      WA_DB_PORT: server.port || '5432',
      WA_DB_USERNAME: server.username || 'postgres',
      WA_DB_NAME: missing,
      ...(server.password ? { WA_DB_PASSWORD: decodeURIComponent(server.password) } : {}),
    };
    const result = await runCli(['start'], { WA_DATA_DIR: dataDir, ...onPrem });
    assert.equal(result.code, 1);
    const address = `${server.hostname}:${server.port || '5432'}`;
    assert.equal(
      result.stderr,
      `openprem: database "${missing}" does not exist on the PostgreSQL server at ${address} (WA_DB_NAME): create it with ` +
        `\`createdb -h ${server.hostname} -p ${server.port || '5432'} -U ${server.username || 'postgres'} ${missing}\` or \`CREATE DATABASE "${missing}";\`\n`,
    );
  });

  it('says at start-up, in JSON lines, where the data lives, where the docs are and how to log in the first time', async () => {
    const freshDir = await mkdtemp(path.join(os.tmpdir(), 'openprem-cli-fresh-'));
    const fresh = await createTestDatabase(freshDir);
    const server = await startServer({ ...fresh.env, WA_LOG_FORMAT: 'auto' });
    try {
      const lines = () =>
        server
          .output()
          .split('\n')
          .filter((line) => line.startsWith('{'))
          .map((line) => JSON.parse(line) as Record<string, unknown>);
      const listening = lines().find((line) => line.address === server.url)!;
      assert.match(String(listening.msg), /^OpenPrem .* listening on http:\/\/127\.0\.0\.1:\d+$/);
      assert.equal(
        listening.databaseAt,
        fresh.env.WA_DB_URL ? new URL(fresh.env.WA_DB_URL).toString() : path.join(freshDir, 'openprem.sqlite'),
      );
      assert.match(String(listening.docs), /^http:\/\/127\.0\.0\.1:\d+\/docs .*README\.md/);
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
