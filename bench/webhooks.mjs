// Webhook delivery throughput and memory: a backlog of pending callbacks drained by one node to a fast local
// receiver.
//
//   npm run bench:webhooks                         1,000,000 callbacks (SQLite, fresh temporary data directory)
//   BENCH_CALLBACKS=200000 npm run bench:webhooks  a smaller backlog
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
import Database from 'better-sqlite3';
import { freePort, run, waitForHttp } from './support.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const HOST = '127.0.0.1';
const CALLBACKS = Number(process.env.BENCH_CALLBACKS ?? 1_000_000);
const ADMIN_PASSWORD = 'Bench-Pass1!';
const DRAIN_LIMIT_MS = 30 * 60_000;
const SAMPLE_MS = 1000;

function rssMb(pid) {
  return readFile(`/proc/${pid}/status`, 'utf8').then(
    (text) => Number(/VmRSS:\s+(\d+)/.exec(text)?.[1] ?? 0) / 1024,
    () => 0,
  );
}

function seed(file) {
  const db = new Database(file);
  const insert = db.prepare(
    `INSERT INTO webhook_outbox (delivery_id, kind, payload, state, attempts, next_attempt_at, created_at) VALUES (?, 'status', ?, 'pending', 0, ?, ?)`,
  );
  const now = Date.now();
  db.transaction(() => {
    for (let i = 0; i < CALLBACKS; i++) {
      const payload = JSON.stringify({
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
      insert.run(randomUUID(), payload, now, now);
    }
  })();
  db.close();
}

async function main() {
  await run('npm', ['run', 'build', '--silent'], {}, ROOT);
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'openprem-webhooks-'));
  const children = [];
  try {
    const [serverPort, receiverPort] = [await freePort(), await freePort()];
    const base = `http://${HOST}:${serverPort}`;
    const env = {
      WA_DATA_DIR: dataDir,
      WA_ADMIN_PASSWORD: ADMIN_PASSWORD,
      WA_LOG_LEVEL: 'warn',
      WA_RATE_LIMIT_DEFAULT: 'off',
      WA_HOST: HOST,
      WA_PORT: String(serverPort),
    };
    await run(process.execPath, ['bin/openprem.js', 'migrate'], env, ROOT);
    console.log(`webhooks: seeding ${CALLBACKS.toLocaleString('en-US')} pending callbacks`);
    const seeded = performance.now();
    seed(path.join(dataDir, 'openprem.sqlite'));
    console.log(`webhooks: seeded in ${((performance.now() - seeded) / 1000).toFixed(1)} s`);

    const receiver = fork(path.join(ROOT, 'bench/webhook-receiver.mjs'), [String(receiverPort)], { stdio: 'inherit' });
    children.push(receiver);
    let received = 0;
    receiver.on('message', (m) => (received = m.received ?? received));
    const server = spawn(process.execPath, ['bin/openprem.js', 'start'], {
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
    while (received < CALLBACKS && performance.now() - started < DRAIN_LIMIT_MS) {
      await new Promise((r) => setTimeout(r, SAMPLE_MS));
      const memory = await rssMb(server.pid);
      rss.push(memory);
      best = Math.max(best, received - last);
      process.stdout.write(
        `\rwebhooks: ${received.toLocaleString('en-US')} delivered, ${received - last}/s, rss ${memory.toFixed(0)} MB   `,
      );
      last = received;
    }
    const seconds = (performance.now() - started) / 1000;
    console.log('');
    if (received < CALLBACKS)
      throw new Error(`only ${received} of ${CALLBACKS} delivered within ${DRAIN_LIMIT_MS / 60_000} minutes`);
    const report = [
      `### Webhook backlog drain, SQLite — ${new Date().toISOString().replace(/\.\d+Z$/, 'Z')}`,
      '',
      `${CALLBACKS.toLocaleString('en-US')} pending status callbacks, max_concurrent_requests 24, one node, a local receiver answering 200; ` +
        `Node ${process.version}, ${os.availableParallelism()} CPUs; receiver and server share the machine.`,
      '',
      '| deliveries | seconds | mean deliveries/s | best second | RSS before | RSS min–max while draining |',
      '|---:|---:|---:|---:|---:|---:|',
      `| ${CALLBACKS.toLocaleString('en-US')} | ${seconds.toFixed(0)} | ${Math.round(CALLBACKS / seconds).toLocaleString('en-US')} | ${best.toLocaleString('en-US')} | ${baseRss.toFixed(0)} MB | ${Math.min(...rss).toFixed(0)}–${Math.max(...rss).toFixed(0)} MB |`,
      '',
    ].join('\n');
    console.log(report);
    await writeFile(path.join(ROOT, 'bench/results/webhooks-latest.md'), report);
  } finally {
    for (const child of children) child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 500));
    for (const child of children) child.kill('SIGKILL');
    await rm(dataDir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(`webhooks: FAILED — ${error.message}`);
  process.exitCode = 1;
});
