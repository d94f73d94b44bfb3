// Early answers on the real process: how long SIGTERM takes with early-answered keep-alive clients connected, and
// how often a plain Node client reads the 413 of an oversized upload instead of a socket error.
//
//   node bench/early-answers.mjs [uploads-per-case]     (default 25)
//
// Last results: bench/results/early-answers-latest.md.
//
// Starts `src/cli.ts start` (through tsx) on a free port of 127.0.0.1, SQLite in a fresh temporary data directory.
// Loopback only; every count is bounded.
//   shutdown: per case a fresh server, one raw keep-alive connection whose request was answered before its body
//             arrived (the client sends part of the body, reads the answer and keeps the socket open), then SIGTERM:
//             the exit code, the time to exit, and whether "shutdown took too long" was logged.
//   uploads:  POST /v1/settings/profile/photo with a body of 5 MB + 1, 8 MB and 48 MB (the limit is 5 MB, refused
//             from the declared Content-Length before the body is read; 48 MB is 3 times the bytes the server
//             discards after an answer, src/http/connections.ts), through fetch and through node:http, each
//             `uploads-per-case` times: how many read the 413 and how many failed with which socket error.
import { spawn } from 'node:child_process';
import http from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from './support.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const UPLOADS = Number(process.argv[2] ?? 25);
const PASSWORD = 'Bench-Pass1!';
const MB = 1024 * 1024;
const BASIC = `Basic ${Buffer.from(`admin:${PASSWORD}`).toString('base64')}`;

async function startServer() {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'openprem-early-'));
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'start'], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      WA_DATA_DIR: dataDir,
      WA_HOST: '127.0.0.1',
      WA_PORT: String(port),
      WA_ADMIN_PASSWORD: PASSWORD,
      WA_LOG_LEVEL: 'info',
      WA_RATE_LIMIT_DEFAULT: 'off',
      WA_RATE_LIMIT_MESSAGES: 'off',
      WA_MAX_EVENT_LOOP_DELAY_MS: 'off',
    },
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
  for (let i = 0; i < 300 && !/listening/.test(output); i++) {
    if (child.exitCode !== null) throw new Error(`the server exited: ${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const login = await fetch(`http://127.0.0.1:${port}/v1/users/login`, {
    method: 'POST',
    headers: { authorization: BASIC },
  });
  const token = (await login.json()).users[0].token;
  return {
    port,
    child,
    exited,
    token,
    output: () => output,
    async stop() {
      child.kill('SIGKILL');
      await exited;
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Sends the head and `sent` bytes of a body that declares `declared`, resolves with the status line once answered. */
function earlyAnswered(port, head, declared, sent) {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.on('error', reject);
    socket.setTimeout(5000, () => reject(new Error(`no answer within 5 s to ${head.split('\r\n')[0]}`)));
    socket.once('data', (chunk) => {
      socket.setTimeout(0);
      resolve({ socket, status: String(chunk).split('\r\n')[0] });
    });
    socket.write(`${head}\r\ncontent-length: ${declared}\r\nconnection: keep-alive\r\n\r\n`);
    socket.write(Buffer.alloc(sent, 0x7b));
  });
}

async function shutdownCase(name, request) {
  const server = await startServer();
  try {
    const { socket, status } = await request(server);
    const started = performance.now();
    server.child.kill('SIGTERM');
    const code = await server.exited;
    const ms = Math.round(performance.now() - started);
    socket.destroy();
    const tooLong = /shutdown took too long/.test(server.output());
    console.log(`| ${name} | ${status} | ${code} | ${ms} | ${tooLong ? 'yes' : 'no'} |`);
  } finally {
    await server.stop();
  }
}

function uploadWithFetch(port, token, size) {
  return fetch(`http://127.0.0.1:${port}/v1/settings/profile/photo`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'image/jpeg' },
    body: Buffer.alloc(size, 1),
  }).then(
    async (response) => {
      await response.arrayBuffer();
      return String(response.status);
    },
    (error) => error.cause?.code ?? error.code ?? error.message,
  );
}

function uploadWithNodeHttp(port, token, size) {
  return new Promise((resolve) => {
    const request = http.request({
      host: '127.0.0.1',
      port,
      method: 'POST',
      path: '/v1/settings/profile/photo',
      agent: false,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'image/jpeg', 'content-length': size },
    });
    request.on('response', (response) => {
      response.resume();
      response.on('end', () => resolve(String(response.statusCode)));
      response.on('error', (error) => resolve(error.code ?? error.message));
    });
    request.on('error', (error) => resolve(error.code ?? error.message));
    request.end(Buffer.alloc(size, 1));
  });
}

async function uploadCases() {
  const server = await startServer();
  try {
    for (const [client, upload] of [
      ['fetch', uploadWithFetch],
      ['node:http', uploadWithNodeHttp],
    ]) {
      for (const size of [5 * MB + 1, 8 * MB, 48 * MB]) {
        const outcomes = {};
        for (let i = 0; i < UPLOADS; i++) {
          const outcome = await upload(server.port, server.token, size);
          outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
        }
        const summary = Object.entries(outcomes)
          .map(([outcome, count]) => `${outcome}: ${count}`)
          .join(', ');
        console.log(`| ${client} | ${size} | ${UPLOADS} | ${summary} |`);
      }
    }
  } finally {
    await server.stop();
  }
}

console.log('| early-answered keep-alive connection at SIGTERM | answer | exit code | ms to exit | "took too long" |');
console.log('|---|---|---|---|---|');
await shutdownCase('404: POST /nowhere, 10 of 1000 body bytes sent', ({ port }) =>
  earlyAnswered(port, 'POST /nowhere HTTP/1.1\r\nhost: x\r\ncontent-type: application/octet-stream', 1000, 10),
);
await shutdownCase('400: photo as application/pdf, 10 of 1000 bytes sent', ({ port, token }) =>
  earlyAnswered(
    port,
    `POST /v1/settings/profile/photo HTTP/1.1\r\nhost: x\r\nauthorization: Bearer ${token}\r\ncontent-type: application/pdf`,
    1000,
    10,
  ),
);
await shutdownCase('413: photo of 8 MB declared, 10 bytes sent', ({ port, token }) =>
  earlyAnswered(
    port,
    `POST /v1/settings/profile/photo HTTP/1.1\r\nhost: x\r\nauthorization: Bearer ${token}\r\ncontent-type: image/jpeg`,
    8 * MB,
    10,
  ),
);
await shutdownCase('idle: GET / answered, connection kept', ({ port }) =>
  earlyAnswered(port, 'GET / HTTP/1.1\r\nhost: x', 0, 0),
);
console.log();
console.log('| client | body bytes | uploads | outcomes |');
console.log('|---|---|---|---|');
await uploadCases();
