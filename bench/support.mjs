// Helpers shared by the bench scripts: free loopback ports, bounded child commands, waiting for a server.
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
