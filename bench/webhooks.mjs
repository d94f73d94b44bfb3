// Webhook delivery throughput and memory: a backlog of pending callbacks drained by one node to a fast local
// receiver.
//
//   npm run bench:webhooks                         1,000,000 callbacks (SQLite, fresh temporary data directory)
//   BENCH_CALLBACKS=200000 npm run bench:webhooks  a smaller backlog
//   BENCH_PROFILE=/tmp/prof npm run bench:webhooks the server runs under --cpu-prof, its profile written there
//   BENCH_PG_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench:webhooks
//                                                  PostgreSQL: an admin connection that may CREATE DATABASE; a fresh
//                                                  database is made for the run and dropped after it
//
// Before the drain, two 5 s baselines on the same machine in the same run: the bare Fastify hello-world under
// autocannon (24 connections, as the dispatcher's 24 posts), and autocannon posting the same callback body to the
// same receiver over 24 connections (what HTTP alone allows here: the dispatcher's ceiling).
//
// Seeds webhook_outbox directly (one transaction; a status callback of the usual size each), starts
// `node bin/openprem.js start` on that database with webhooks.max_concurrent_requests = 24 and the receiver
// bench/webhook-receiver.mjs, then samples the receiver's count and the server's resident memory every second
// until the backlog is drained (bounded: 30 minutes). Prints deliveries/s and the memory range, and writes
// bench/results/webhooks-latest.md. All traffic stays on 127.0.0.1.
import { fork, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import Database from 'better-sqlite3';
import pg from 'pg';
import { freePort, run, waitForHttp } from './support.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const HOST = '127.0.0.1';
const CALLBACKS = Number(process.env.BENCH_CALLBACKS ?? 1_000_000);
const ADMIN_PASSWORD = 'Bench-Pass1!';
const DRAIN_LIMIT_MS = 30 * 60_000;
const SAMPLE_MS = 1000;
const PROFILE_DIR = process.env.BENCH_PROFILE?.trim() || null;
const BASELINE_SECONDS = 5;
const IN_FLIGHT = 24;
const PG_ADMIN_URL = process.env.BENCH_PG_URL?.trim() || null;

function rssMb(pid) {
  return readFile(`/proc/${pid}/status`, 'utf8').then(
    (text) => Number(/VmRSS:\s+(\d+)/.exec(text)?.[1] ?? 0) / 1024,
    () => 0,
  );
}

function statusCallback(now) {
  return JSON.stringify({
    statuses: [
      {
        id: `wamid.${randomUUID().replace(/-/g, '')}`,
        recipient_id: '16315551000',
        status: 'delivered',
        timestamp: String(Math.floor(now / 1000)),
        type: 'message',
        conversation: { id: '532b57b5f6e63595ccd74c6010e5c5c7', origin: { type: 'service' } },
        pricing: { billable: true, pricing_model: 'CBP', category: 'service' },
      },
    ],
  });
}

/** Requests/s of the bare Fastify hello-world under autocannon with IN_FLIGHT connections. */
async function helloWorldBaseline(children) {
  const port = await freePort();
  const hello = spawn(process.execPath, ['bench/hello-world.mjs', String(port)], { cwd: ROOT, stdio: 'ignore' });
  children.push(hello);
  await waitForHttp(`http://${HOST}:${port}/`, hello);
  const result = await autocannon({
    url: `http://${HOST}:${port}/`,
    connections: IN_FLIGHT,
    duration: BASELINE_SECONDS,
  });
  hello.kill('SIGTERM');
  if (result.non2xx || result.errors) throw new Error(`hello-world: ${result.non2xx} non-2xx, ${result.errors} errors`);
  return result.requests.average;
}

/** Posts/s of autocannon sending the callback body to the receiver, IN_FLIGHT at a time: what HTTP alone allows. */
async function barePosterBaseline(url) {
  const result = await autocannon({
    url,
    method: 'POST',
    body: statusCallback(Date.now()),
    headers: { 'content-type': 'application/json', 'x-openprem-delivery-id': randomUUID() },
    connections: IN_FLIGHT,
    duration: BASELINE_SECONDS,
  });
  if (result.non2xx || result.errors) throw new Error(`receiver: ${result.non2xx} non-2xx, ${result.errors} errors`);
  return result.requests.average;
}

/** SIGTERM, then SIGKILL after 15 s (a profile is written on the way out). */
function stop(child) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** CPU time (user + system) a process has used so far, in ms (/proc/<pid>/stat, 100 ticks a second). */
async function cpuMs(pid) {
  const fields = (await readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

async function pgAdmin(sql) {
  const client = new pg.Client({ connectionString: PG_ADMIN_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** The same callbacks on PostgreSQL, in one statement (each with its own wamid, as on SQLite). */
async function seedPostgres(url) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const now = Date.now();
    const template = statusCallback(now);
    const wamid = JSON.parse(template).statuses[0].id;
    await client.query(
      `INSERT INTO webhook_outbox (delivery_id, kind, payload, state, attempts, next_attempt_at, created_at)
       SELECT gen_random_uuid()::text, 'status', replace($1, $2, 'wamid.' || md5(g::text)), 'pending', 0, $3, $3
       FROM generate_series(1, $4) g`,
      [template, wamid, now, CALLBACKS],
    );
    // A backlog that built up over time has statistics (autovacuum analyzes the table as it grows); right after one
    // bulk insert they still describe an empty table, and the claim is planned as a scan of every pending row and a
    // sort (190 ms a claim at 100,000 pending, against 4 ms once analyzed).
    await client.query('ANALYZE webhook_outbox');
  } finally {
    await client.end();
  }
}

function seed(file) {
  const db = new Database(file);
  const insert = db.prepare(
    `INSERT INTO webhook_outbox (delivery_id, kind, payload, state, attempts, next_attempt_at, created_at) VALUES (?, 'status', ?, 'pending', 0, ?, ?)`,
  );
  const now = Date.now();
  db.transaction(() => {
    for (let i = 0; i < CALLBACKS; i++) {
      const payload = statusCallback(now);
      insert.run(randomUUID(), payload, now, now);
    }
  })();
  db.close();
}

async function main() {
  await run('npm', ['run', 'build', '--silent'], {}, ROOT);
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'openprem-webhooks-'));
  const children = [];
  const pgName = PG_ADMIN_URL ? `openprem_bench_webhooks_${process.pid}` : null;
  const pgUrl = pgName ? Object.assign(new URL(PG_ADMIN_URL), { pathname: `/${pgName}` }).toString() : null;
  try {
    if (pgName) await pgAdmin(`CREATE DATABASE ${pgName}`);
    const [serverPort, receiverPort] = [await freePort(), await freePort()];
    const base = `http://${HOST}:${serverPort}`;
    const env = {
      WA_DATA_DIR: dataDir,
      WA_ADMIN_PASSWORD: ADMIN_PASSWORD,
      WA_LOG_LEVEL: 'warn',
      WA_RATE_LIMIT_DEFAULT: 'off',
      WA_HOST: HOST,
      WA_PORT: String(serverPort),
      ...(pgUrl ? { WA_DB_URL: pgUrl } : {}),
    };
    await run(process.execPath, ['bin/openprem.js', 'migrate'], env, ROOT);
    console.log(`webhooks: seeding ${CALLBACKS.toLocaleString('en-US')} pending callbacks`);
    const seeded = performance.now();
    if (pgUrl) await seedPostgres(pgUrl);
    else seed(path.join(dataDir, 'openprem.sqlite'));
    console.log(`webhooks: seeded in ${((performance.now() - seeded) / 1000).toFixed(1)} s`);

    const receiver = fork(path.join(ROOT, 'bench/webhook-receiver.mjs'), [String(receiverPort)], { stdio: 'inherit' });
    children.push(receiver);
    let received = 0;
    receiver.on('message', (m) => (received = m.received ?? received));
    await new Promise((resolve) => receiver.once('message', resolve));
    const hello = await helloWorldBaseline(children);
    const bare = await barePosterBaseline(`http://${HOST}:${receiverPort}/`);
    await new Promise((r) => setTimeout(r, 500));
    const receivedBefore = received;
    console.log(
      `webhooks: baselines: hello-world ${Math.round(hello)} req/s, receiver under autocannon ${Math.round(bare)} posts/s`,
    );
    const profile = PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`] : [];
    const server = spawn(process.execPath, [...profile, 'bin/openprem.js', 'start'], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: 'inherit',
    });
    children.push(server);
    await waitForHttp(`${base}/`, server);
    const login = await fetch(`${base}/v1/users/login`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`admin:${ADMIN_PASSWORD}`).toString('base64')}` },
    });
    const token = (await login.json()).users[0].token;
    const baseRss = await rssMb(server.pid);
    const [serverCpu, receiverCpu] = [await cpuMs(server.pid), await cpuMs(receiver.pid)];
    const started = performance.now();
    const patched = await fetch(`${base}/v1/settings/application`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ webhooks: { url: `http://${HOST}:${receiverPort}/`, max_concurrent_requests: 24 } }),
    });
    if (patched.status !== 200) throw new Error(`settings: ${patched.status} ${await patched.text()}`);

    const rss = [];
    let last = 0;
    let best = 0;
    const delivered = () => received - receivedBefore;
    while (delivered() < CALLBACKS && performance.now() - started < DRAIN_LIMIT_MS) {
      await new Promise((r) => setTimeout(r, SAMPLE_MS));
      const memory = await rssMb(server.pid);
      rss.push(memory);
      best = Math.max(best, delivered() - last);
      process.stdout.write(
        `\rwebhooks: ${delivered().toLocaleString('en-US')} delivered, ${delivered() - last}/s, rss ${memory.toFixed(0)} MB   `,
      );
      last = delivered();
    }
    const seconds = (performance.now() - started) / 1000;
    // CPU per delivery hardly depends on what else runs on the machine, unlike deliveries/s.
    const serverUs = ((await cpuMs(server.pid)) - serverCpu) * (1000 / CALLBACKS);
    const receiverUs = ((await cpuMs(receiver.pid)) - receiverCpu) * (1000 / CALLBACKS);
    console.log('');
    if (delivered() < CALLBACKS)
      throw new Error(`only ${delivered()} of ${CALLBACKS} delivered within ${DRAIN_LIMIT_MS / 60_000} minutes`);
    const report = [
      `### Webhook backlog drain, ${pgUrl ? 'PostgreSQL' : 'SQLite'} — ${new Date().toISOString().replace(/\.\d+Z$/, 'Z')}`,
      '',
      `${CALLBACKS.toLocaleString('en-US')} pending status callbacks, max_concurrent_requests 24, one node, a local receiver answering 200; ` +
        `Node ${process.version}, ${os.availableParallelism()} CPUs; receiver and server share the machine.`,
      '',
      '| deliveries | seconds | mean deliveries/s | best second | RSS before | RSS min–max while draining | server CPU µs/delivery | receiver CPU µs/delivery | hello-world req/s | receiver under autocannon, posts/s | mean vs. that |',
      '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
      `| ${CALLBACKS.toLocaleString('en-US')} | ${seconds.toFixed(0)} | ${Math.round(CALLBACKS / seconds).toLocaleString('en-US')} | ${best.toLocaleString('en-US')} | ${baseRss.toFixed(0)} MB | ${Math.min(...rss).toFixed(0)}–${Math.max(...rss).toFixed(0)} MB | ${serverUs.toFixed(0)} | ${receiverUs.toFixed(0)} | ${Math.round(hello).toLocaleString('en-US')} | ${Math.round(bare).toLocaleString('en-US')} | ${(CALLBACKS / seconds / bare).toFixed(2)}× |`,
      '',
    ].join('\n');
    console.log(report);
    await writeFile(path.join(ROOT, `bench/results/webhooks-latest${pgUrl ? '-postgresql' : ''}.md`), report);
  } finally {
    await Promise.all(children.map(stop));
    if (pgName) await pgAdmin(`DROP DATABASE IF EXISTS ${pgName}`).catch((error) => console.error(error.message));
    await rm(dataDir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(`webhooks: FAILED — ${error.message}`);
  process.exitCode = 1;
});
