// The two attacks of issue 13, against a real server process, run the same against any checkout so that before and
// after can be compared (`--repo <dir>`, default this one; the checkout needs its node_modules):
//   siege: a ROLE_USER opens 300 connections from 127.0.0.2 that send headers and stall their bodies, with 200
//          slots in flight (WA_MAX_IN_FLIGHT=200, rate limits off so the siege opens at once); meanwhile the admin
//          sends 10 requests/s for 10 s from 127.0.0.1. Reported: admin requests served out of 100, what the
//          stalled connections were answered, and how long after the siege was opened the admin is served again.
//   flood: ~190 unauthenticated requests/s for 10 s from 127.0.0.3 against the default buckets (20/60), while the
//          admin sends 5 requests/s to a default-bucket endpoint. Reported: admin requests answered 200 and 429.
// Usage: node bench/siege.mjs [--repo <checkout>] [--set WA_NAME=value ...] [siege|flood ...]
import { spawn } from 'node:child_process';
import http from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { freePort, waitForHttp } from './support.mjs';

const ADMIN_PASSWORD = 'Bench-Admin1!';
const { values, positionals } = parseArgs({
  options: { repo: { type: 'string' }, set: { type: 'string', multiple: true } },
  allowPositionals: true,
});
const extraEnv = Object.fromEntries(
  (values.set ?? []).map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]),
);
const repo = path.resolve(values.repo ?? path.join(import.meta.dirname, '..'));
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function startServer(env) {
  const port = await freePort();
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'openprem-siege-'));
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'start'], {
    cwd: repo,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: {
      ...process.env,
      WA_PORT: String(port),
      WA_DATA_DIR: dataDir,
      WA_ADMIN_PASSWORD: ADMIN_PASSWORD,
      WA_LOG_LEVEL: 'error',
      WA_MAX_EVENT_LOOP_DELAY_MS: 'off',
      ...env,
      ...extraEnv,
    },
  });
  await waitForHttp(`http://127.0.0.1:${port}/`, child);
  return {
    port,
    async stop() {
      child.kill('SIGKILL');
      await new Promise((resolve) => (child.exitCode !== null ? resolve() : child.once('exit', resolve)));
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** One request; answers its status (0 when the connection failed) and body. */
function request(port, { method = 'GET', url, authorization, body, agent, localAddress }) {
  return new Promise((resolve) => {
    const headers = { ...(authorization && { authorization }), ...(body && { 'content-type': 'application/json' }) };
    const req = http.request(
      { host: '127.0.0.1', port, method, path: url, headers, agent, localAddress },
      (response) => {
        const chunks = [];
        response.on('data', (chunk) => chunks.push(chunk));
        response.on('end', () =>
          resolve({ status: response.statusCode, body: Buffer.concat(chunks).toString('utf8') }),
        );
      },
    );
    req.on('error', () => resolve({ status: 0, body: '' }));
    req.end(body && JSON.stringify(body));
  });
}

async function tokens(port) {
  const basic = (user, password) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
  const login = async (user, password) =>
    JSON.parse(
      (await request(port, { method: 'POST', url: '/v1/users/login', authorization: basic(user, password) })).body,
    ).users[0].token;
  const admin = await login('admin', ADMIN_PASSWORD);
  await request(port, {
    method: 'POST',
    url: '/v1/users',
    authorization: `Bearer ${admin}`,
    body: { username: 'attacker', password: 'Attack-Pass1!' },
  });
  return { admin, attacker: await login('attacker', 'Attack-Pass1!') };
}

/** Headers of a 100 kB contact check, then a few bytes of body and nothing more; `answer` resolves with the status. */
function stall(port, token) {
  const socket = net.connect({ host: '127.0.0.1', port, localAddress: '127.0.0.2' });
  const openedAt = performance.now();
  socket.on('error', () => {});
  socket.write(
    `POST /v1/contacts HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{"contacts":[`,
  );
  const answer = new Promise((resolve) => {
    socket.once('data', (chunk) =>
      resolve({
        status: Number(/^HTTP\/1\.1 (\d+)/.exec(chunk.toString())?.[1]),
        afterMs: performance.now() - openedAt,
      }),
    );
    socket.once('close', () => resolve({ status: 'closed', afterMs: performance.now() - openedAt }));
  });
  return { socket, answer };
}

function tally(statuses) {
  const counts = {};
  for (const status of statuses) counts[status] = (counts[status] ?? 0) + 1;
  return counts;
}

async function siege() {
  const server = await startServer({
    WA_MAX_IN_FLIGHT: '200',
    WA_RATE_LIMIT_DEFAULT: 'off',
    WA_RATE_LIMIT_MESSAGES: 'off',
  });
  try {
    const { admin, attacker } = await tokens(server.port);
    const openedAt = performance.now();
    const stalled = Array.from({ length: 300 }, () => stall(server.port, attacker));
    await sleep(1000);
    const adminAnswers = [];
    const askAdmin = async () => {
      const { status } = await request(server.port, { url: '/v1/users/admin', authorization: `Bearer ${admin}` });
      adminAnswers.push({ status, atS: (performance.now() - openedAt) / 1000 });
      return status;
    };
    for (let i = 0; i < 100; i++) {
      await askAdmin();
      await sleep(100);
    }
    const adminStatuses = adminAnswers.map((a) => a.status);
    // Recovery: the attacker opens nothing more but keeps its connections open; when is the admin served again?
    if (adminStatuses.at(-1) !== 200) {
      while (performance.now() - openedAt < 60_000 && (await askAdmin()) !== 200) await sleep(250);
    }
    const lastRefused = adminAnswers.findLast((a) => a.status !== 200);
    const servedAgain = adminAnswers.find((a) => a.status === 200 && (!lastRefused || a.atS > lastRefused.atS));
    const recovery = !lastRefused
      ? 'never refused'
      : servedAgain
        ? `served again ${servedAgain.atS.toFixed(1)} s after the siege opened`
        : 'not within 60 s';
    const answers = await Promise.all(
      stalled.map((s) => Promise.race([s.answer, sleep(1000).then(() => ({ status: 'none yet' }))])),
    );
    const timedOut = answers
      .filter((a) => a.status === 408)
      .map((a) => a.afterMs)
      .sort((a, b) => a - b);
    console.log(
      JSON.stringify({
        scenario: 'siege',
        repo,
        adminServed: `${adminStatuses.filter((s) => s === 200).length}/100`,
        adminStatuses: tally(adminStatuses),
        adminRecovery: recovery,
        stalledAnswers: tally(answers.map((a) => a.status)),
        median408AfterMs: timedOut.length ? Math.round(timedOut[Math.floor(timedOut.length / 2)]) : null,
        last408AfterMs: timedOut.length ? Math.round(timedOut.at(-1)) : null,
      }),
    );
    for (const s of stalled) s.socket.destroy();
  } finally {
    await server.stop();
  }
}

async function flood() {
  const server = await startServer({});
  try {
    const { admin } = await tokens(server.port);
    await sleep(3500); // the logins spent tokens: let the buckets fill again
    const agent = new http.Agent({ keepAlive: true, maxSockets: 32, localAddress: '127.0.0.3' });
    const floodStatuses = [];
    const pending = [];
    let running = true;
    const flooding = (async () => {
      const start = performance.now();
      for (let sent = 0; running; sent++) {
        // ~190 requests/s: each waits for its slot in the schedule.
        const due = start + (sent * 1000) / 190;
        if (due > performance.now()) await sleep(due - performance.now());
        pending.push(request(server.port, { url: '/v1/support', agent }).then((r) => floodStatuses.push(r.status)));
      }
    })();
    const adminStatuses = [];
    for (let i = 0; i < 50; i++) {
      adminStatuses.push((await request(server.port, { url: '/v1/support', authorization: `Bearer ${admin}` })).status);
      await sleep(200);
    }
    running = false;
    await flooding;
    await Promise.all(pending);
    agent.destroy();
    console.log(
      JSON.stringify({
        scenario: 'flood',
        repo,
        adminServed: `${adminStatuses.filter((s) => s === 200).length}/50`,
        adminStatuses: tally(adminStatuses),
        floodSent: floodStatuses.length,
        floodStatuses: tally(floodStatuses),
      }),
    );
  } finally {
    await server.stop();
  }
}

const scenarios = { siege, flood };
for (const name of positionals.length ? positionals : ['siege', 'flood']) {
  if (!scenarios[name]) throw new Error(`unknown scenario ${name}; expected siege or flood`);
  await scenarios[name]();
}
