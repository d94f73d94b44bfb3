// Helpers shared by the bench scripts: free loopback ports, bounded child commands, waiting for a server, the
// environment a measured server starts with.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';

const HOST = '127.0.0.1';

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer().unref().on('error', reject);
    server.listen(0, HOST, () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Runs a command to completion (5 minutes at most), its output shown; rejects on a non-zero exit. */
export function run(command, args, env = {}, cwd = process.cwd()) {
  return new Promise((resolve, reject) => {
    spawn(command, args, { cwd, stdio: 'inherit', env: { ...process.env, ...env }, timeout: 300_000 }).on(
      'exit',
      (code) => (code === 0 ? resolve() : reject(new Error(`${command} ${args.join(' ')} exited ${code}`))),
    );
  });
}

/** Resolves once `url` answers 200 (30 s at most); rejects at once if `child` exits. */
export async function waitForHttp(url, child) {
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error(`the server exited (${child.exitCode})`);
    try {
      if ((await fetch(url)).status === 200) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} did not answer`);
}

/**
 * A server to measure: rate limits, the in-flight bound and the event-loop guard off (they would answer 429/503
 * under the load), warnings only in the log, loopback only; SQLite in `dataDir` unless `dbUrl` names PostgreSQL.
 */
export function benchServerEnv({ port, dataDir, dbUrl, password }) {
  return {
    WA_RATE_LIMIT_MESSAGES: 'off',
    WA_RATE_LIMIT_DEFAULT: 'off',
    WA_MAX_IN_FLIGHT: 'off',
    WA_MAX_EVENT_LOOP_DELAY_MS: 'off',
    WA_LOG_LEVEL: 'warn',
    WA_ADMIN_PASSWORD: password,
    WA_HOST: HOST,
    WA_PORT: String(port),
    WA_DATA_DIR: dataDir,
    ...(dbUrl ? { WA_DB_URL: dbUrl } : {}),
  };
}
