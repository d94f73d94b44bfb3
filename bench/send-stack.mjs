// The stack that bench/sustained.mjs and bench/million.mjs drive: a built OpenPrem server (sandbox gateway, default
// delays, limits off) with its webhook URL set to bench/webhook-receiver.mjs counting callbacks by status, and the
// bare Fastify hello-world for the baseline. Every child runs on 127.0.0.1, its output prefixed and its last lines
// kept; children are stopped (SIGTERM, SIGKILL after 15 s) and the temporary directory removed on every path:
// success, failure, Ctrl-C, the watchdog, or this process exiting.
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchServerEnv, freePort, run } from './support.mjs';
import { api, waitUntilUp } from './send-stack-http.mjs';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const HOST = '127.0.0.1';
export const CUSTOMER = '16315551000';
export const SEND_BODY = JSON.stringify({ to: CUSTOMER, type: 'text', text: { body: 'Your order has shipped.' } });
const ADMIN_PASSWORD = 'Bench-Pass1!';
const STOP_TIMEOUT_MS = 15_000; // above the server's default WA_SHUTDOWN_TIMEOUT_MS (10 s)
const START_TIMEOUT_MS = 30_000;

const children = new Set();
const started = [];
let cleaning = null;
let tempDir = null;

/** Starts `node <args>` with only PATH, HOME and `env`; `ipc` adds an IPC channel (the receiver's counts). */
function startChild(name, args, env, { ipc = false } = {}) {
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    stdio: ['ignore', 'pipe', 'pipe', ...(ipc ? ['ipc'] : [])],
  });
  const entry = { name, child, tail: [], exited: null, stopping: false };
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

/** SIGTERM, then SIGKILL after STOP_TIMEOUT_MS; resolves with how the child ended. */
export function stopChild(entry) {
  if (entry.exited) return Promise.resolve(entry.exited);
  entry.stopping = true;
  return new Promise((resolve) => {
    const kill = setTimeout(() => entry.child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    entry.child.once('exit', (code, signal) => {
      clearTimeout(kill);
      resolve({ code, signal });
    });
    entry.child.kill('SIGTERM');
  });
}

async function cleanUp() {
  cleaning ??= Promise.all([...children].map(stopChild)).then(async () => {
    if (tempDir) await rm(tempDir, { recursive: true, force: true });
    tempDir = null;
  });
  return cleaning;
}

/** Signals, the watchdog and the exit hook; `main` resolves with the exit code. */
export function runBench(tag, overallMs, main) {
  process.on('exit', () => {
    for (const { child } of children) child.kill('SIGKILL');
    if (tempDir) rmSync(tempDir, { recursive: true, force: true });
  });
  for (const signal of ['SIGINT', 'SIGTERM'])
    process.on(signal, () => {
      console.error(`${tag}: ${signal}, stopping children`);
      cleanUp().finally(() => process.exit(130));
    });
  setTimeout(() => {
    console.error(`${tag}: FAILED — still running after ${Math.round(overallMs / 1000)} s; stopping children`);
    cleanUp().finally(() => process.exit(1));
  }, overallMs).unref();
  main().then(
    async (code) => {
      await cleanUp();
      // autocannon may leave sockets in keep-alive; nothing else should hold the process open.
      setTimeout(() => process.exit(code), 1000).unref();
      process.exitCode = code;
    },
    async (error) => {
      console.error(`\n${tag}: FAILED — ${error.stack ?? error}`);
      for (const { name, tail } of started)
        if (tail.length) console.error(`[${name}] last output:\n  ${tail.join('\n  ')}`);
      await cleanUp();
      process.exit(1);
    },
  );
}

function startReceiver(port) {
  const entry = startChild('receiver', ['bench/webhook-receiver.mjs', String(port), '--by-status'], {}, { ipc: true });
  const counts = { received: 0, statuses: {} };
  const listening = new Promise((resolve, reject) => {
    entry.child.on('message', (m) => {
      if (m.listening) resolve();
      if (m.received !== undefined) Object.assign(counts, m);
    });
    entry.child.once('exit', () => reject(new Error('the receiver exited before listening')));
    setTimeout(() => reject(new Error('the receiver did not listen within 30 s')), START_TIMEOUT_MS).unref();
  });
  return { entry, counts, listening, url: `http://${HOST}:${port}/` };
}

/**
 * Builds, starts the hello-world, the receiver and the server, logs in, sets the webhook URL, has the customer write
 * first (24-hour window) and checks that one send answers 201. `webhookConcurrency`: null keeps the default;
 * `withWebhooks` false leaves the URL unset (the receiver then counts nothing).
 */
export async function startStack({ tag, dbUrl, webhookConcurrency, withWebhooks = true }) {
  console.log(`${tag}: building (npm run build)`);
  await run('npm', ['run', 'build', '--silent'], {}, ROOT);
  tempDir = await mkdtemp(path.join(os.tmpdir(), `openprem-${tag}-`));
  const [helloPort, serverPort, receiverPort] = [await freePort(), await freePort(), await freePort()];
  const helloUrl = `http://${HOST}:${helloPort}/`;
  const base = `http://${HOST}:${serverPort}`;
  const hello = startChild('hello-world', ['bench/hello-world.mjs', String(helloPort)], {});
  const receiver = startReceiver(receiverPort);
  const database = dbUrl ? 'PostgreSQL' : 'SQLite';
  console.log(`${tag}: starting openprem on ${base} (${database}, data dir ${tempDir})`);
  const server = startChild(
    'openprem',
    ['bin/openprem.js', 'start'],
    benchServerEnv({ port: serverPort, dataDir: tempDir, dbUrl, password: ADMIN_PASSWORD }),
  );
  await Promise.all([waitUntilUp(hello, helloUrl), waitUntilUp(server, `${base}/`), receiver.listening]);

  const basic = `Basic ${Buffer.from(`admin:${ADMIN_PASSWORD}`).toString('base64')}`;
  const login = await api(base, 'POST', '/v1/users/login', basic);
  const auth = { authorization: `Bearer ${login.users[0].token}` };
  // `sent` callbacks are off by default (as On-Prem before its toggles); on here, so every send makes three.
  const webhooks = {
    url: receiver.url,
    message: { sent: true, delivered: true, read: true },
    ...(webhookConcurrency ? { max_concurrent_requests: webhookConcurrency } : {}),
  };
  if (withWebhooks) await api(base, 'PATCH', '/v1/settings/application', auth.authorization, { webhooks });
  const settings = await api(base, 'GET', '/v1/settings/application', auth.authorization);
  const inFlight = settings.settings.application.webhooks.max_concurrent_requests;
  await api(base, 'POST', '/sandbox/inbound', auth.authorization, {
    from: CUSTOMER,
    type: 'text',
    text: { body: 'hello' },
  });
  await api(base, 'POST', '/v1/messages', auth.authorization, JSON.parse(SEND_BODY));
  return { database, base, helloUrl, auth, hello, server, receiver: receiver.counts, webhookInFlight: inFlight };
}

/** Stops the children; the problems of a server or baseline that did not exit 0 after SIGTERM. */
export async function stopStack(stack) {
  const [helloExit, serverExit] = await Promise.all([stopChild(stack.hello), stopChild(stack.server)]);
  const problems = [];
  if (serverExit.code !== 0) problems.push(`openprem ended with code ${serverExit.code}, signal ${serverExit.signal}`);
  if (helloExit.code !== 0) problems.push(`hello-world ended with code ${helloExit.code}, signal ${helloExit.signal}`);
  await cleanUp();
  return problems;
}

/** The whole number in environment variable `name` (1 to `max`), or `fallback`. */
export function whole(name, fallback, max) {
  const raw = process.env[name] ?? String(fallback);
  if (!/^\d+$/.test(raw) || Number(raw) < 1 || Number(raw) > max) throw new Error(`${name}: 1 to ${max}, got "${raw}"`);
  return Number(raw);
}

/** The server's resident memory in MB: all of it (VmRSS) and its anonymous part (RssAnon: heaps, not mapped files). */
export async function memoryMb(pid) {
  const text = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  const kb = (field) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(text)?.[1] ?? Number.NaN);
  return { rss: kb('VmRSS') / 1024, anon: kb('RssAnon') / 1024 };
}

/** Prints the report; writes it to bench/results/<file> unless the run had problems (then answers exit code 1). */
export async function writeReport(tag, file, report, problems) {
  console.log(`\n${report}`);
  if (problems.length) {
    console.error(`\n${tag}: FAILED — results not written:\n  ${problems.join('\n  ')}`);
    return 1;
  }
  await mkdir(path.join(ROOT, 'bench', 'results'), { recursive: true });
  await writeFile(path.join(ROOT, 'bench', 'results', file), report);
  console.log(`${tag}: written to bench/results/${file}`);
  return 0;
}
