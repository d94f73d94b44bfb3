// Memory of a 100 MB media upload and download: the server's resident set (RSS) while the file streams in and out.
//
//   node bench/media-memory.mjs                          directory store, SQLite, in a fresh temporary data dir
//   node bench/media-memory.mjs database                 database store on SQLite
//   BENCH_DB_URL=postgres://... node bench/media-memory.mjs database    database store on PostgreSQL (disposable db)
//
// Starts `src/cli.ts start` (through tsx) as a child process on a free port of 127.0.0.1, uploads a 100 MB PDF
// generated 1 MB at a time (the client never holds it), downloads it while hashing, and samples the child's VmRSS
// from /proc every 10 ms. Prints the baseline, the peaks and the durations. Linux only (it reads /proc).
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { request } from 'undici';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const STORE = process.argv[2] ?? 'directory';
const SIZE = 100 * 1024 * 1024;
const MB = 1024 * 1024;
const PASSWORD = 'Bench-Pass1!';

const freePort = () =>
  new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
const rssMb = (pid) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;

/** Runs `work` while sampling the child's RSS; answers the peak and the duration. */
async function measure(pid, work) {
  let peak = rssMb(pid);
  const timer = setInterval(() => (peak = Math.max(peak, rssMb(pid))), 10);
  const started = performance.now();
  const result = await work();
  clearInterval(timer);
  return { peak: Math.max(peak, rssMb(pid)), seconds: (performance.now() - started) / 1000, result };
}

async function* pdf() {
  const hash = createHash('sha256');
  for (let sent = 0; sent < SIZE; sent += MB) {
    const chunk = Buffer.alloc(MB, 0x2a);
    if (sent === 0) chunk.write('%PDF-1.7\n');
    hash.update(chunk);
    yield chunk;
  }
  pdf.sha256 = hash.digest('hex');
}

const dataDir = await mkdtemp(path.join(os.tmpdir(), 'openprem-media-bench-'));
const port = await freePort();
const env = {
  ...process.env,
  WA_DATA_DIR: dataDir,
  WA_PORT: String(port),
  WA_ADMIN_PASSWORD: PASSWORD,
  WA_MEDIA_STORE: STORE,
  WA_RATE_LIMIT_DEFAULT: 'off',
  WA_LOG_LEVEL: 'warn',
  ...(process.env.BENCH_DB_URL ? { WA_DB_URL: process.env.BENCH_DB_URL } : {}),
};
const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'start'], {
  cwd: ROOT,
  env,
  stdio: ['ignore', 'inherit', 'inherit'],
});
const base = `http://127.0.0.1:${port}`;
try {
  for (let i = 0; ; i++) {
    try {
      await request(`${base}/`).then((r) => r.body.dump());
      break;
    } catch (error) {
      if (i > 300) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  const login = await request(`${base}/v1/users/login`, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from(`admin:${PASSWORD}`).toString('base64')}` },
  });
  const token = (await login.body.json()).users[0].token;
  const auth = { authorization: `Bearer ${token}` };
  const idle = rssMb(child.pid);

  const upload = await measure(child.pid, async () => {
    const response = await request(`${base}/v1/media`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/pdf' },
      body: pdf(),
    });
    const body = await response.body.json();
    if (response.statusCode !== 201) throw new Error(`upload answered ${response.statusCode}: ${JSON.stringify(body)}`);
    return body.media[0].id;
  });
  const download = await measure(child.pid, async () => {
    const response = await request(`${base}/v1/media/${upload.result}`, { headers: auth });
    const hash = createHash('sha256');
    let size = 0;
    for await (const chunk of response.body) {
      hash.update(chunk);
      size += chunk.length;
    }
    return { size, same: hash.digest('hex') === pdf.sha256, length: response.headers['content-length'] };
  });
  const engine = process.env.BENCH_DB_URL ? 'PostgreSQL' : 'SQLite';
  console.log(
    `| ${STORE} store, ${engine} | idle ${idle.toFixed(0)} MB | upload peak ${upload.peak.toFixed(0)} MB (+${(upload.peak - idle).toFixed(0)}) in ${upload.seconds.toFixed(1)} s | ` +
      `download peak ${download.peak.toFixed(0)} MB (+${(download.peak - idle).toFixed(0)}) in ${download.seconds.toFixed(1)} s | ` +
      `${download.result.size} bytes, Content-Length ${download.result.length}, identical: ${download.result.same} |`,
  );
} finally {
  child.kill('SIGTERM');
  await new Promise((resolve) => child.once('exit', resolve));
  await rm(dataDir, { recursive: true, force: true });
}
