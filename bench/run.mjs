// Throughput and latency of a few hot OpenPrem routes, next to a bare Fastify hello-world on the same machine.
//
//   npm run bench                                   SQLite in a fresh temporary data directory
//   BENCH_DB_URL=postgres://... npm run bench       PostgreSQL (a dedicated, disposable database)
//   BENCH_SECONDS=30 npm run bench                  longer measured runs (default 10 s each)
//
// Builds the project, starts bench/hello-world.mjs and `node bin/openprem.js start` as child processes on free
// ports of 127.0.0.1, drives each scenario with autocannon (a 2 s warm-up run that is discarded, then the
// measured run), prints a Markdown table and writes it to bench/results/. Any non-2xx answer, socket error
// or timeout fails the run (exit code 1). Children are always stopped, and every step is bounded in time.
// See bench/README.md.
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { mkdtemp, mkdir, rm, writeFile, readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { benchServerEnv } from './support.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const HOST = '127.0.0.1';
const CONNECTIONS = 64;
const WARMUP_SECONDS = 2;
const SECONDS = parsePositiveInt('BENCH_SECONDS', process.env.BENCH_SECONDS ?? '10');
const DB_URL = process.env.BENCH_DB_URL?.trim() || null;
const ADMIN_PASSWORD = 'Bench-Pass1!';

const BUILD_TIMEOUT_MS = 300_000;
const START_TIMEOUT_MS = 30_000;
const HTTP_TIMEOUT_MS = 10_000;
const STOP_TIMEOUT_MS = 15_000; // above the server's default WA_SHUTDOWN_TIMEOUT_MS (10 s)
const SCENARIO_COUNT = 5;
// Build + starts + every warm-up and measured run + slack; past this the whole run is abandoned.
const OVERALL_TIMEOUT_MS =
  BUILD_TIMEOUT_MS + 2 * START_TIMEOUT_MS + SCENARIO_COUNT * (WARMUP_SECONDS + SECONDS + 30) * 1000 + 60_000;

const ONE_NUMBER = ['+16315551000'];
// Ten numbers in the formats On-Prem clients send: international, national, with separators, 00 prefix,
// bare international digits, another country.
const TEN_NUMBERS = [
  '+1 631 555 1001',
  '1-631-555-1002',
  '(631) 555-1003',
  '6315551004',
  '+16315551005',
  '001 631 555 1006',
  '+1.631.555.1007',
  '+1 (631) 555-1008',
  '5511987654321',
  '+49 1512 3456789',
];

/** @type {Set<{ name: string, child: import('node:child_process').ChildProcess }>} */
const children = new Set();
/** Every child started, running or not, for the output shown when the run fails. */
const started = [];
let cleaningUp = null;
/** The temporary data directory, removed however the run ends. */
let tempDir = null;

// ---------------------------------------------------------------------------------------------------------------
// Process management

function parsePositiveInt(name, raw) {
  if (!/^\d+$/.test(raw) || Number(raw) < 1 || Number(raw) > 3600) {
    throw new Error(`${name} must be a whole number of seconds from 1 to 3600, got "${raw}"`);
  }
  return Number(raw);
}

function redact(url) {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
}

/** Starts a child whose output is prefixed and kept (the last lines are shown if something fails). */
function startChild(name, args, env) {
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const entry = { name, child, tail: [], exited: null };
  const keep = (stream) => (chunk) => {
    for (const line of chunk.toString().split('\n')) {
      if (line.trim() === '') continue;
      entry.tail.push(line);
      if (entry.tail.length > 50) entry.tail.shift();
      stream.write(`[${name}] ${line}\n`);
    }
  };
  child.stdout.on('data', keep(process.stdout));
  child.stderr.on('data', keep(process.stderr));
  child.on('exit', (code, signal) => {
    entry.exited = { code, signal };
    children.delete(entry);
    if (!entry.stopping) console.error(`[${name}] exited unexpectedly (code ${code}, signal ${signal})`);
  });
  children.add(entry);
  started.push(entry);
  return entry;
}

/** SIGTERM, then SIGKILL after STOP_TIMEOUT_MS. Resolves with how the child ended. */
function stopChild(entry) {
  if (entry.exited) return Promise.resolve(entry.exited);
  entry.stopping = true;
  return new Promise((resolve) => {
    const kill = setTimeout(() => {
      console.error(`[${entry.name}] did not exit ${STOP_TIMEOUT_MS} ms after SIGTERM; sending SIGKILL`);
      entry.child.kill('SIGKILL');
    }, STOP_TIMEOUT_MS);
    entry.child.once('exit', (code, signal) => {
      clearTimeout(kill);
      resolve({ code, signal });
    });
    entry.child.kill('SIGTERM');
  });
}

async function stopAll() {
  cleaningUp ??= Promise.all([...children].map((entry) => stopChild(entry)));
  return cleaningUp;
}

// Last resort: whatever happens to this process, its children do not outlive it.
process.on('exit', () => {
  for (const { child } of children) child.kill('SIGKILL');
  if (tempDir) rmSync(tempDir, { recursive: true, force: true });
});
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    console.error(`bench: ${signal}, stopping children`);
    stopAll().finally(() => process.exit(130));
  });
}

function withTimeout(promise, ms, what) {
  let timer;
  return Promise.race([
    promise,
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

function runCommand(command, args, timeoutMs) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'], timeout: timeoutMs });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (code === 0) resolve();
      else reject(new Error(`${command} ${args.join(' ')} failed (code ${code}, signal ${signal})`));
    });
  });
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, HOST, () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

// ---------------------------------------------------------------------------------------------------------------
// HTTP helpers (traffic goes to 127.0.0.1 only)

async function request(url, { method = 'GET', headers = {}, body } = {}) {
  const response = await fetch(url, {
    method,
    headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(HTTP_TIMEOUT_MS),
  });
  const text = await response.text();
  let json = null;
  try {
    json = JSON.parse(text);
  } catch {}
  return { status: response.status, json, text };
}

async function waitUntilUp(entry, url) {
  const deadline = Date.now() + START_TIMEOUT_MS;
  let last = 'no answer yet';
  while (Date.now() < deadline) {
    if (entry.exited) throw new Error(`${entry.name} exited before answering (code ${entry.exited.code})`);
    try {
      const { status } = await request(url);
      if (status === 200) return;
      last = `status ${status}`;
    } catch (error) {
      last = error.cause?.code ?? error.message;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${entry.name} did not answer GET ${url} within ${START_TIMEOUT_MS} ms (${last})`);
}

function expect(condition, message) {
  if (!condition) throw new Error(message);
}

// ---------------------------------------------------------------------------------------------------------------
// Load

function cannon(scenario, seconds) {
  const instance = autocannon({
    url: scenario.url,
    method: scenario.method,
    headers: scenario.headers,
    body: scenario.body,
    connections: CONNECTIONS,
    pipelining: 1,
    duration: seconds,
    timeout: HTTP_TIMEOUT_MS / 1000,
    renderProgressBar: false,
    renderResultsTable: false,
    renderLatencyTable: false,
  });
  return withTimeout(Promise.resolve(instance), (seconds + 30) * 1000, `autocannon on ${scenario.name}`).catch(
    (error) => {
      instance.stop?.();
      throw error;
    },
  );
}

function problemsOf(result, phase) {
  const problems = [];
  if (result.non2xx)
    problems.push(`${phase}: ${result.non2xx} non-2xx (status codes ${JSON.stringify(result.statusCodeStats)})`);
  if (result.errors) problems.push(`${phase}: ${result.errors} errors (${result.timeouts} timeouts)`);
  if (result.resets) problems.push(`${phase}: ${result.resets} pipeline resets`);
  if (result['2xx'] === 0) problems.push(`${phase}: no 2xx answer at all`);
  return problems;
}

async function measure(scenario, server) {
  process.stdout.write(`bench: ${scenario.name}: ${WARMUP_SECONDS} s warm-up, `);
  const warmup = await cannon(scenario, WARMUP_SECONDS);
  process.stdout.write(`${SECONDS} s measured ... `);
  const result = await cannon(scenario, SECONDS);
  const problems = [...problemsOf(warmup, 'warm-up'), ...problemsOf(result, 'measured')];
  if (server?.exited)
    problems.push(`the server exited during the run (code ${server.exited.code}, signal ${server.exited.signal})`);
  console.log(
    `${Math.round(result.requests.mean)} req/s${problems.length ? ` — PROBLEMS: ${problems.join('; ')}` : ''}`,
  );
  return {
    name: scenario.name,
    rps: result.requests.mean,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx + warmup.non2xx,
    errors: result.errors + warmup.errors,
    total: result['2xx'] + result.non2xx,
    problems,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Report

function table(rows, baselineRps) {
  const fmt = (n, digits) =>
    n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
  const lines = [
    '| Scenario | Requests/s (mean) | p50 (ms) | p99 (ms) | Non-2xx | Errors | vs. baseline |',
    '|---|---:|---:|---:|---:|---:|---:|',
  ];
  for (const row of rows) {
    lines.push(
      `| ${row.name} | ${fmt(row.rps, 0)} | ${fmt(row.p50, 0)} | ${fmt(row.p99, 0)} | ${row.non2xx} | ${row.errors} | ${fmt(row.rps / baselineRps, 2)}× |`,
    );
  }
  return lines.join('\n');
}

async function autocannonVersion() {
  const lock = JSON.parse(await readFile(path.join(ROOT, 'package-lock.json'), 'utf8'));
  return lock.packages?.['node_modules/autocannon']?.version ?? 'unknown';
}

// ---------------------------------------------------------------------------------------------------------------

async function main() {
  const database = DB_URL ? 'PostgreSQL' : 'SQLite';
  // Other work on the machine skews every number; the report records the load average around the run.
  const loadBefore = os.loadavg()[0].toFixed(2);
  if (os.loadavg()[0] > 0.5 * os.availableParallelism()) {
    console.warn(
      `bench: warning: 1-minute load average is ${loadBefore} on ${os.availableParallelism()} CPUs; results will be skewed`,
    );
  }
  console.log(`bench: building (npm run build)`);
  await runCommand('npm', ['run', 'build', '--silent'], BUILD_TIMEOUT_MS);

  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'openprem-bench-'));
  tempDir = dataDir;
  try {
    const [helloPort, serverPort] = [await freePort(), await freePort()];
    const helloUrl = `http://${HOST}:${helloPort}`;
    const base = `http://${HOST}:${serverPort}`;

    console.log(`bench: starting bench/hello-world.mjs on ${helloUrl}`);
    const hello = startChild('hello-world', ['bench/hello-world.mjs', String(helloPort)], {});
    console.log(
      `bench: starting openprem on ${base} (${database}${DB_URL ? ` ${redact(DB_URL)}` : ''}, data dir ${dataDir})`,
    );
    const server = startChild(
      'openprem',
      ['bin/openprem.js', 'start'],
      benchServerEnv({ port: serverPort, dataDir, dbUrl: DB_URL, password: ADMIN_PASSWORD }),
    );
    await Promise.all([waitUntilUp(hello, `${helloUrl}/`), waitUntilUp(server, `${base}/`)]);

    // Log in once; the bearer token is sent by every authenticated request below.
    const basic = Buffer.from(`admin:${ADMIN_PASSWORD}`).toString('base64');
    const login = await request(`${base}/v1/users/login`, {
      method: 'POST',
      headers: { authorization: `Basic ${basic}` },
    });
    const token = login.json?.users?.[0]?.token;
    expect(login.status === 200 && token, `login failed: ${login.status} ${login.text}`);
    const auth = { authorization: `Bearer ${token}` };

    // Warm the contact cache for every number used, and check that each now answers from it.
    const warm = await request(`${base}/v1/contacts`, {
      method: 'POST',
      headers: auth,
      body: { blocking: 'wait', contacts: [...ONE_NUMBER, ...TEN_NUMBERS] },
    });
    expect(warm.status === 200, `warming the contact cache failed: ${warm.status} ${warm.text}`);
    const statuses = warm.json?.contacts?.map((c) => `${c.input}=${c.status}`) ?? [];
    expect(
      warm.json?.contacts?.length === ONE_NUMBER.length + TEN_NUMBERS.length &&
        warm.json.contacts.every((c) => c.status === 'valid' || c.status === 'invalid'),
      `warming the contact cache gave unexpected answers: ${warm.text}`,
    );
    console.log(`bench: contact cache warmed: ${statuses.join(', ')}`);

    // The customer writes first, so the business's free-form messages are inside the 24-hour window.
    const inbound = await request(`${base}/sandbox/inbound`, {
      method: 'POST',
      headers: auth,
      body: { from: ONE_NUMBER[0], type: 'text', text: { body: 'hello' } },
    });
    expect(inbound.status === 201, `the customer's first message failed: ${inbound.status} ${inbound.text}`);

    const scenarios = [
      { name: 'Fastify hello-world (baseline)', url: `${helloUrl}/`, method: 'GET' },
      { name: 'GET /v1/health (bearer)', url: `${base}/v1/health`, method: 'GET', headers: auth },
      {
        name: 'POST /v1/contacts, 1 number (cached)',
        url: `${base}/v1/contacts`,
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json' },
        body: JSON.stringify({ blocking: 'wait', contacts: ONE_NUMBER }),
      },
      {
        name: 'POST /v1/contacts, 10 numbers (cached)',
        url: `${base}/v1/contacts`,
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json' },
        body: JSON.stringify({ blocking: 'wait', contacts: TEN_NUMBERS }),
      },
      {
        name: 'POST /v1/messages, text (durable)',
        url: `${base}/v1/messages`,
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json' },
        body: JSON.stringify({ to: '16315551000', type: 'text', text: { body: 'Your order has shipped.' } }),
        expectStatus: 201,
      },
    ];

    // One request per scenario first, so a wrong answer fails here with its body rather than as a count.
    for (const s of scenarios) {
      const r = await request(s.url, { method: s.method, headers: s.headers, body: s.body && JSON.parse(s.body) });
      expect(r.status === (s.expectStatus ?? 200), `${s.name}: ${r.status} ${r.text}`);
    }

    const rows = [];
    for (const scenario of scenarios) {
      rows.push(await measure(scenario, scenario.url.startsWith(base) ? server : hello));
    }

    const stopped = await withTimeout(
      Promise.all([stopChild(hello), stopChild(server)]),
      STOP_TIMEOUT_MS + 5000,
      'stopping the children',
    );
    const [helloExit, serverExit] = stopped;
    const shutdownProblems = [];
    if (serverExit.code !== 0)
      shutdownProblems.push(`openprem ended with code ${serverExit.code}, signal ${serverExit.signal} after SIGTERM`);
    if (helloExit.code !== 0)
      shutdownProblems.push(`hello-world ended with code ${helloExit.code}, signal ${helloExit.signal} after SIGTERM`);

    const date = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    const report = [
      `### ${database} — ${date}`,
      '',
      `autocannon ${await autocannonVersion()}, ${CONNECTIONS} connections, ${SECONDS} s per scenario after a ` +
        `${WARMUP_SECONDS} s warm-up; Node ${process.version}, ${os.availableParallelism()} CPUs ` +
        `(${os.cpus()[0]?.model.trim() ?? 'unknown CPU'}); load generator and servers share the machine; ` +
        `1-minute load average ${loadBefore} before, ${os.loadavg()[0].toFixed(2)} after.`,
      '',
      table(rows, rows[0].rps),
      '',
    ].join('\n');
    console.log(`\n${report}`);

    const problems = [...rows.flatMap((r) => r.problems.map((p) => `${r.name}: ${p}`)), ...shutdownProblems];
    if (problems.length) {
      console.error(`\nbench: FAILED — results not written:\n  ${problems.join('\n  ')}`);
      return 1;
    }
    const resultsDir = path.join(ROOT, 'bench', 'results');
    await mkdir(resultsDir, { recursive: true });
    await writeFile(path.join(resultsDir, 'latest.md'), report);
    await writeFile(path.join(resultsDir, `latest-${database.toLowerCase()}.md`), report);
    console.log(`bench: written to bench/results/latest.md and bench/results/latest-${database.toLowerCase()}.md`);
    return 0;
  } finally {
    await stopAll();
    await rm(dataDir, { recursive: true, force: true });
    tempDir = null;
  }
}

const watchdog = setTimeout(() => {
  console.error(`bench: FAILED — still running after ${OVERALL_TIMEOUT_MS} ms; stopping children`);
  stopAll().finally(() => process.exit(1));
}, OVERALL_TIMEOUT_MS);
watchdog.unref();

main().then(
  (code) => {
    process.exitCode = code;
    // autocannon may leave sockets in keep-alive; nothing else should hold the process open.
    setTimeout(() => process.exit(code), 1000).unref();
  },
  async (error) => {
    console.error(`\nbench: FAILED — ${error.stack ?? error}`);
    for (const { name, tail } of started)
      if (tail.length) console.error(`[${name}] last output:\n  ${tail.join('\n  ')}`);
    await stopAll();
    process.exit(1);
  },
);
