// Throughput of sends and of webhook deliveries with one, two and three node processes on one PostgreSQL.
//
//   npm run bench:cluster
//   BENCH_PG_URL=postgres://user@host:5432/postgres   an admin connection that may CREATE DATABASE (default: the
//                                                     local server, as the tests use)
//   BENCH_SECONDS=10 BENCH_CALLBACKS=100000 BENCH_NODES=1,2,3
//
// For each node count: a fresh database, `openprem migrate`, then N `node bin/openprem.js start` processes on free
// ports of 127.0.0.1 (limits off, pool 10 each). Sends: one autocannon instance per node, the 64 connections split
// between them, a 2 s warm-up then BENCH_SECONDS measured; requests/s are summed, the latency shown is the worst
// instance's. Webhooks: BENCH_CALLBACKS pending callbacks seeded in the outbox, then the webhook URL set to
// bench/webhook-receiver.mjs with max_concurrent_requests 24; every node's dispatcher claims its share (SKIP
// LOCKED) until the receiver has them all. Any non-2xx answer or error fails the run. Everything stays on
// loopback, each step is bounded, children are always stopped and the databases dropped. See bench/README.md.
import { fork, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import pg from 'pg';
import { freePort, run, waitForHttp } from './support.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const HOST = '127.0.0.1';
const ADMIN_URL = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CALLBACKS = Number(process.env.BENCH_CALLBACKS ?? 100_000);
const NODE_COUNTS = (process.env.BENCH_NODES ?? '1,2,3').split(',').map(Number);
const CONNECTIONS = 64;
const WARMUP_SECONDS = 2;
const DRAIN_LIMIT_MS = 10 * 60_000;
const ADMIN_PASSWORD = 'Bench-Pass1!';
const CUSTOMER = '16315551000';

async function admin(sql) {
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    return await client.query(sql);
  } finally {
    await client.end();
  }
}

async function api(base, method, url, token, body) {
  const authorization = token
    ? `Bearer ${token}`
    : `Basic ${Buffer.from(`admin:${ADMIN_PASSWORD}`).toString('base64')}`;
  const response = await fetch(`${base}${url}`, {
    method,
    headers: { authorization, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });
  const json = await response.json().catch(() => null);
  if (response.status >= 300) throw new Error(`${method} ${url}: ${response.status} ${JSON.stringify(json)}`);
  return json;
}

function cannon(url, token, connections, seconds) {
  const instance = autocannon({
    url: `${url}/v1/messages`,
    method: 'POST',
    connections,
    duration: seconds,
    timeout: 10,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ to: CUSTOMER, type: 'text', text: { body: 'Your order shipped' } }),
    renderProgressBar: false,
    renderResultsTable: false,
    renderLatencyTable: false,
  });
  return Promise.resolve(instance);
}

async function sends(urls, token) {
  const per = Math.max(1, Math.round(CONNECTIONS / urls.length));
  await Promise.all(urls.map((url) => cannon(url, token, per, WARMUP_SECONDS)));
  const results = await Promise.all(urls.map((url) => cannon(url, token, per, SECONDS)));
  const problems = results.flatMap((r) =>
    r.non2xx || r.errors ? [`${r.non2xx} non-2xx ${JSON.stringify(r.statusCodeStats)}, ${r.errors} errors`] : [],
  );
  if (problems.length) throw new Error(`sends: ${problems.join('; ')}`);
  return {
    rps: results.reduce((sum, r) => sum + r.requests.mean, 0),
    p50: Math.max(...results.map((r) => r.latency.p50)),
    p99: Math.max(...results.map((r) => r.latency.p99)),
  };
}

/** Replaces whatever the send phase queued with CALLBACKS pending status callbacks of the usual size. */
async function seedOutbox(url) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('DELETE FROM webhook_attempts');
    await client.query('DELETE FROM webhook_outbox');
    const now = Date.now();
    const payload = JSON.stringify({
      statuses: [
        {
          id: 'wamid.HBgLMTYzMTU1NTEwMDAVAgARGBI5QTNDQTVCM0Q0Q0Q2RTY3RTcA',
          recipient_id: CUSTOMER,
          status: 'delivered',
          timestamp: String(Math.floor(now / 1000)),
          type: 'message',
          conversation: { id: '532b57b5f6e63595ccd74c6010e5c5c7', origin: { type: 'service' } },
          pricing: { billable: true, pricing_model: 'CBP', category: 'service' },
        },
      ],
    });
    await client.query(
      `INSERT INTO webhook_outbox (delivery_id, kind, payload, state, attempts, next_attempt_at, created_at)
       SELECT md5(random()::text || g::text), 'status', $1, 'pending', 0, $2, $2 FROM generate_series(1, $3) g`,
      [payload, now, CALLBACKS],
    );
  } finally {
    await client.end();
  }
}

async function drain(urls, token, receiver) {
  const before = receiver.received;
  const started = performance.now();
  await api(urls[0], 'PATCH', '/v1/settings/application', token, {
    webhooks: { url: `http://${HOST}:${receiver.port}/`, max_concurrent_requests: 24 },
  });
  while (receiver.received - before < CALLBACKS) {
    if (performance.now() - started > DRAIN_LIMIT_MS)
      throw new Error(`only ${receiver.received - before} of ${CALLBACKS} delivered`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return CALLBACKS / ((performance.now() - started) / 1000);
}

const dataDirOf = (index) => path.join(os.tmpdir(), `openprem-bench-cluster-${process.pid}-${index}`);

async function startNodes(count, dbUrl, children) {
  const env = {
    ...process.env,
    WA_DB_URL: dbUrl,
    WA_DB_POOL_SIZE: '10',
    WA_ADMIN_PASSWORD: ADMIN_PASSWORD,
    WA_LOG_LEVEL: 'warn',
    WA_HOST: HOST,
    WA_RATE_LIMIT_MESSAGES: 'off',
    WA_RATE_LIMIT_DEFAULT: 'off',
    WA_MAX_IN_FLIGHT: 'off',
    WA_MAX_EVENT_LOOP_DELAY_MS: 'off',
    WA_SETTINGS_REFRESH_MS: '500',
  };
  await run(process.execPath, ['bin/openprem.js', 'migrate'], env, ROOT);
  const urls = [];
  for (let i = 0; i < count; i++) {
    const port = await freePort();
    const child = spawn(process.execPath, ['bin/openprem.js', 'start'], {
      cwd: ROOT,
      env: { ...env, WA_PORT: String(port), WA_DATA_DIR: dataDirOf(i) },
      stdio: 'inherit',
    });
    children.push(child);
    urls.push(`http://${HOST}:${port}`);
    await waitForHttp(`${urls[i]}/`, child);
  }
  return urls;
}

async function measure(count, receiver) {
  const name = `openprem_bench_${randomBytes(4).toString('hex')}`;
  await admin(`CREATE DATABASE ${name}`);
  const dbUrl = Object.assign(new URL(ADMIN_URL), { pathname: `/${name}` }).toString();
  const children = [];
  try {
    const urls = await startNodes(count, dbUrl, children);
    const token = (await api(urls[0], 'POST', '/v1/users/login', null)).users[0].token;
    await api(urls[0], 'POST', '/sandbox/inbound', token, { from: CUSTOMER, type: 'text', text: { body: 'hi' } });
    process.stdout.write(`cluster: ${count} node(s): sends ... `);
    const send = await sends(urls, token);
    process.stdout.write(`${Math.round(send.rps)} req/s; webhooks ... `);
    await seedOutbox(dbUrl);
    const deliveries = await drain(urls, token, receiver);
    console.log(`${Math.round(deliveries)} deliveries/s`);
    return { count, ...send, deliveries };
  } finally {
    for (const child of children) child.kill('SIGTERM');
    await Promise.all(
      children.map((child) => (child.exitCode === null ? new Promise((resolve) => child.once('exit', resolve)) : null)),
    );
    await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    for (let i = 0; i < count; i++) await rm(dataDirOf(i), { recursive: true, force: true });
  }
}

async function startReceiver() {
  const port = await freePort();
  const child = fork(path.join(ROOT, 'bench/webhook-receiver.mjs'), [String(port)], { stdio: 'inherit' });
  const receiver = { port, child, received: 0 };
  child.on('message', (m) => (receiver.received = m.received ?? receiver.received));
  await new Promise((resolve) => child.once('message', resolve));
  return receiver;
}

async function main() {
  // Other work on the machine skews every figure: the report records the load average around the run.
  const loadBefore = os.loadavg()[0].toFixed(2);
  await run('npm', ['run', 'build', '--silent'], {}, ROOT);
  const receiver = await startReceiver();
  const rows = [];
  try {
    for (const count of NODE_COUNTS) rows.push(await measure(count, receiver));
  } finally {
    receiver.child.kill('SIGTERM');
  }
  const fmt = (n) => Math.round(n).toLocaleString('en-US');
  const report = [
    `### Several nodes on one PostgreSQL — ${new Date().toISOString().replace(/\.\d+Z$/, 'Z')}`,
    '',
    `Node ${process.version}, ${os.availableParallelism()} CPUs shared by PostgreSQL, the nodes, autocannon and the receiver; ` +
      `sends: ${CONNECTIONS} connections split over the nodes, ${SECONDS} s; webhooks: ${CALLBACKS.toLocaleString('en-US')} callbacks, 24 in flight per node; ` +
      `1-minute load average ${loadBefore} before, ${os.loadavg()[0].toFixed(2)} after.`,
    '',
    '| nodes | sends/s | p50 / p99 ms (worst node) | webhook deliveries/s |',
    '|---:|---:|---:|---:|',
    ...rows.map((r) => `| ${r.count} | ${fmt(r.rps)} | ${r.p50} / ${r.p99} | ${fmt(r.deliveries)} |`),
    '',
  ].join('\n');
  console.log(report);
  await writeFile(path.join(ROOT, 'bench/results/cluster-latest.md'), report);
}

main().catch((error) => {
  console.error(`cluster: FAILED — ${error.message}`);
  process.exitCode = 1;
});
