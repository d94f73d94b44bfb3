// The cloud gateway's send path: POST /v1/messages through OpenPrem to a fake Graph API, against the same fake
// hit directly, so the difference is what OpenPrem adds.
//
//   npm run bench:cloud                          SQLite in a fresh temporary data directory
//   BENCH_DB_URL=postgres://... npm run bench:cloud
//   BENCH_SECONDS=30 BENCH_GRAPH_DELAY_MS=50 npm run bench:cloud
//
// Builds the project, starts the fake Graph server (test/support/fake-graph-cli.ts, its own process so that it does
// not share OpenPrem's event loop; every answer waits BENCH_GRAPH_DELAY_MS, default 30, like Graph's own latency;
// without its status webhooks, so that the send path alone is measured)
// and `node bin/openprem.js start` with WA_GATEWAY=cloud pointed at it. autocannon then drives (1) the fake
// directly with a Cloud send body, (2) OpenPrem with the On-Prem body; each run has a 2 s warm-up. Prints sends/s,
// p50, p99 and OpenPrem's added p99, and writes them to bench/results/. Target: ≥ 1,000 sends/s (Cloud's highest
// per-number throughput). Any non-2xx fails the run.
import { spawn } from 'node:child_process';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { benchServerEnv } from './support.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const HOST = '127.0.0.1';
// 64 connections: at 30 ms a send, 64 in flight allow ~2,000 sends/s, twice the target, without queueing in autocannon.
const CONNECTIONS = 64;
const WARMUP_SECONDS = 2;
const SECONDS = Number(process.env.BENCH_SECONDS ?? '10');
const GRAPH_DELAY_MS = Number(process.env.BENCH_GRAPH_DELAY_MS ?? '30');
const DB_URL = process.env.BENCH_DB_URL?.trim() || null;
const ADMIN_PASSWORD = 'Bench-Pass1!';
const TARGET = 1000;
const children = new Set();

function start(args, env) {
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.add(child);
  child.on('exit', () => children.delete(child));
  return child;
}

process.on('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer().on('error', reject);
    server.listen(0, HOST, () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function firstLine(child, what) {
  const lines = createInterface({ input: child.stdout });
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  for await (const line of lines) {
    clearTimeout(timer);
    return line;
  }
  throw new Error(`${what} ended before printing its address`);
}

async function waitUntilUp(url) {
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      if ((await fetch(url)).status === 200) return;
    } catch {}
    if (Date.now() > deadline) throw new Error(`${url} did not answer within 30 s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function build() {
  return new Promise((resolve, reject) => {
    const child = spawn('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'inherit' });
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`build failed (${code})`))));
  });
}

async function cannon(name, options) {
  const run = (duration) =>
    autocannon({
      ...options,
      method: 'POST',
      connections: CONNECTIONS,
      duration,
      timeout: 10,
      renderProgressBar: false,
    });
  await run(WARMUP_SECONDS);
  const result = await run(SECONDS);
  const problems =
    result.non2xx || result.errors
      ? ` — PROBLEMS: ${result.non2xx} non-2xx, ${result.errors} errors ${JSON.stringify(result.statusCodeStats)}`
      : '';
  console.log(
    `bench: ${name}: ${Math.round(result.requests.mean)} req/s, p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms${problems}`,
  );
  return {
    name,
    rps: result.requests.mean,
    p50: result.latency.p50,
    p99: result.latency.p99,
    failed: result.non2xx + result.errors,
  };
}

async function main() {
  console.log('bench: building');
  await build();
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'openprem-cloud-bench-'));
  try {
    const fake = start(
      [
        '--import',
        'tsx',
        'test/support/fake-graph-cli.ts',
        '--delay-ms',
        String(GRAPH_DELAY_MS),
        '--no-record',
        '--no-webhooks',
      ],
      {},
    );
    const { url: graphUrl, env: cloud } = JSON.parse(await firstLine(fake, 'the fake Graph server'));
    const port = await freePort();
    const base = `http://${HOST}:${port}`;
    start(['bin/openprem.js', 'start'], {
      ...cloud,
      ...benchServerEnv({ port, dataDir, dbUrl: DB_URL, password: ADMIN_PASSWORD }),
    });
    await waitUntilUp(`${base}/`);
    const login = await fetch(`${base}/v1/users/login`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`admin:${ADMIN_PASSWORD}`).toString('base64')}` },
    });
    const token = (await login.json()).users[0].token;

    const direct = await cannon(`fake Graph directly (${GRAPH_DELAY_MS} ms answer delay)`, {
      url: `${graphUrl}/${cloud.WA_CLOUD_API_VERSION ?? 'v23.0'}/${cloud.WA_CLOUD_PHONE_NUMBER_ID}/messages`,
      headers: { authorization: `Bearer ${cloud.WA_CLOUD_ACCESS_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        messaging_product: 'whatsapp',
        recipient_type: 'individual',
        to: '16315551001',
        type: 'text',
        text: { body: 'bench' },
      }),
    });
    const through = await cannon('POST /v1/messages through OpenPrem (cloud gateway)', {
      url: `${base}/v1/messages`,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ to: '16315551001', type: 'text', text: { body: 'bench' } }),
    });
    const added = through.p99 - direct.p99;
    const verdict = through.rps >= TARGET ? `meets the ${TARGET} sends/s target` : `BELOW the ${TARGET} sends/s target`;
    const report = [
      `# Cloud gateway send benchmark, ${new Date().toISOString()}`,
      '',
      `${os.cpus()[0]?.model ?? 'cpu'} × ${os.availableParallelism()}, load average before ${os.loadavg()[0].toFixed(2)}, ${DB_URL ? 'PostgreSQL' : 'SQLite'}, ${CONNECTIONS} connections, ${SECONDS} s measured.`,
      '',
      '| Run | Requests/s | p50 (ms) | p99 (ms) |',
      '|---|---:|---:|---:|',
      ...[direct, through].map((r) => `| ${r.name} | ${Math.round(r.rps)} | ${r.p50} | ${r.p99} |`),
      '',
      `OpenPrem's added p99: ${added} ms. ${Math.round(through.rps)} sends/s ${verdict}.`,
    ].join('\n');
    console.log(`\n${report}`);
    await mkdir(path.join(ROOT, 'bench/results'), { recursive: true });
    await writeFile(
      path.join(ROOT, `bench/results/cloud-send-${new Date().toISOString().slice(0, 10)}.md`),
      `${report}\n`,
    );
    if (direct.failed || through.failed) process.exitCode = 1;
  } finally {
    for (const child of children) child.kill('SIGTERM');
    await rm(dataDir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(`bench: ${error.message}`);
  process.exit(1);
});
