// The README's walk-through, run as a reader pastes it: every ```sh block from "## First steps with curl" up to
// "## Migrating from On-Premises", in order, in one bash with `set -euo pipefail`, against a real `openprem start`.
//
// The rules, which the README's own text states where they apply:
// - A block fenced ```sh skip is not run (it needs what this machine has not: the internet). Blocks after
//   "## Migrating from On-Premises" (the cloud bridge, docker compose) are outside the walk-through.
// - Every curl must get a 2xx: curl runs with --fail-with-body, so a 4xx/5xx answer stops the script. The README
//   expects no error status from any command it runs (a 470 arrives as a webhook status, not as an HTTP error).
// - Long-running programs (the webhook receiver, the extra HTTPS and unregistered servers) are started by the
//   README itself in the background with `&` and stopped with `kill`; whatever is left is killed with the shell's
//   process group when the test ends.
// - Ports are the README's (9090 the first server, 8080 the receiver, 9443 and 9091 the extra servers), rewritten
//   to free ports. The script runs in a scratch directory standing for the repository (see makeScratchRepository).
//   The first server uses the test's dialect; the extra ones SQLite, in directories under the test's TMPDIR.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { startServer } from '../support/process.js';

const WALK_THROUGH_START = '## First steps with curl';
const WALK_THROUGH_END = '## Migrating from On-Premises';
const FIRST_SERVER_PORT = '9090';
const OTHER_PORTS = ['8080', '9443', '9091'];
// A bound on the whole script, so that a server that never listens (the README waits for it) fails the test.
const SCRIPT_TIMEOUT_MS = 180_000;

interface ShellBlock {
  line: number;
  code: string;
}

/** The ```sh blocks of the walk-through, in order, without the ```sh skip ones. */
function walkThroughBlocks(readme: string): ShellBlock[] {
  const start = readme.indexOf(WALK_THROUGH_START);
  const end = readme.indexOf(WALK_THROUGH_END);
  assert.ok(start >= 0 && end > start, 'the README has the walk-through sections');
  const blocks: ShellBlock[] = [];
  const fence = /^```([^\n]*)\n([\s\S]*?)^```$/gm;
  for (const match of readme.slice(start, end).matchAll(fence)) {
    if (match[1]!.trim() !== 'sh') continue;
    const line = readme.slice(0, start + match.index).split('\n').length;
    blocks.push({ line, code: match[2]! });
  }
  return blocks;
}

function freePort(): Promise<string> {
  return new Promise((resolve, reject) => {
    const server = createServer()
      .listen(0, '127.0.0.1', () => {
        const { port } = server.address() as { port: number };
        server.close(() => resolve(String(port)));
      })
      .on('error', reject);
  });
}

function rewritePorts(code: string, ports: Map<string, string>): string {
  return code.replace(/(127\.0\.0\.1:|WA_PORT=|listen\()(\d{4})\b/g, (whole, prefix: string, port: string) =>
    ports.has(port) ? prefix + ports.get(port)! : whole,
  );
}

/**
 * The scratch directory stands for the repository: its bin/openprem.js (which the README's extra servers run, as
 * $REPO/bin/openprem.js) runs this checkout's src/cli.ts in the same process, so that the README's `kill` stops it.
 */
async function makeScratchRepository(dir: string): Promise<void> {
  await writeFile(
    path.join(dir, 'package.json'),
    JSON.stringify({ name: 'readme-walk-through', private: true, type: 'module' }),
  );
  await mkdir(path.join(dir, 'bin'));
  const tsx = import.meta.resolve('tsx/esm/api');
  const cli = pathToFileURL(path.resolve('src/cli.ts')).href;
  await writeFile(
    path.join(dir, 'bin', 'openprem.js'),
    `import { register } from '${tsx}';\nregister();\nawait import('${cli}');\n`,
  );
}

function runBash(
  script: string,
  cwd: string,
  env: Record<string, string>,
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    // Its own process group, so that the background servers and receiver the README starts die with it.
    const child = spawn('bash', ['-c', script], { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const timer = setTimeout(() => killGroup(child.pid!), SCRIPT_TIMEOUT_MS);
    child.on('exit', (code) => {
      clearTimeout(timer);
      killGroup(child.pid!);
      resolve({ code, output });
    });
  });
}

function killGroup(pid: number): void {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // The group is gone already.
  }
}

describe('README walk-through', () => {
  let dir: string;
  let database: TestDatabase;
  let server: Awaited<ReturnType<typeof startServer>>;

  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'openprem-readme-'));
    await mkdir(path.join(dir, 'data'));
    await mkdir(path.join(dir, 'work'));
    database = await createTestDatabase(path.join(dir, 'data'));
    server = await startServer(database.env);
  });
  after(async () => {
    server.child.kill('SIGTERM');
    await server.exited;
    await database.drop();
    await rm(dir, { recursive: true, force: true });
  });

  it('runs every shell block of the walk-through, top to bottom, and each command succeeds', async () => {
    const blocks = walkThroughBlocks(await readFile('README.md', 'utf8'));
    assert.ok(blocks.length >= 8, `the walk-through has its blocks (found ${blocks.length})`);
    const ports = new Map([[FIRST_SERVER_PORT, new URL(server.url).port]]);
    for (const port of OTHER_PORTS) ports.set(port, await freePort());

    const work = path.join(dir, 'work');
    await makeScratchRepository(work);
    const script = [
      'set -euo pipefail',
      'curl() { command curl --fail-with-body "$@"; }',
      ...blocks.map(
        (block, index) =>
          `echo "== README block ${index + 1} (line ${block.line})"\n${rewritePorts(block.code, ports)}`,
      ),
      'echo "== README walk-through done"',
    ].join('\n');
    // Only what a reader's shell has: no WA_* of the test's own server (the README's servers choose theirs). The lag
    // guard is off as in support/process.ts: a busy test machine would otherwise refuse the extra servers' requests.
    const env = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: process.env.HOME ?? work,
      TMPDIR: dir,
      WA_MAX_EVENT_LOOP_DELAY_MS: 'off',
    };
    const result = await runBash(script, work, env);

    assert.equal(result.code, 0, `the walk-through stopped (exit ${result.code}):\n${result.output.slice(-6000)}`);
    for (let index = 1; index <= blocks.length; index++)
      assert.match(result.output, new RegExp(`== README block ${index} `));
    assert.match(result.output, /== README walk-through done/);
  });
});
