// WAL checkpoints off the event loop. better-sqlite3 is synchronous, and SQLite runs an automatic checkpoint
// inside the commit that crosses wal_autocheckpoint: under a steady write load that made an average commit cost
// 2.4 ms of blocked event loop (profiled at 3,000 sends/s), against 0.3 ms for the WAL fsync alone. A worker
// thread with its own connection runs PASSIVE checkpoints (they never block the writer) every CHECKPOINT_EVERY_MS;
// the main connection's automatic checkpoint stays on, far higher, only as a backstop if the worker falls behind.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

const CHECKPOINT_EVERY_MS = 200;
/** Pages (4 KB): 40 MB of WAL before the main thread checkpoints by itself. */
export const BACKSTOP_AUTOCHECKPOINT_PAGES = 10_000;

// CommonJS source for an eval'd worker: no file to resolve, the same under tsx (tests) and compiled (dist).
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma('busy_timeout = 5000');
const timer = setInterval(() => {
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch { /* busy or closing: the next tick tries again */ }
}, workerData.everyMs);
parentPort.once('message', () => { clearInterval(timer); db.close(); parentPort.close(); });
`;

export interface Checkpointer {
  stop(): Promise<void>;
}

export function startCheckpointer(file: string): Checkpointer {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { driver, file, everyMs: CHECKPOINT_EVERY_MS } });
  // A worker that fails leaves the backstop in charge; nothing is lost, commits are only slower.
  worker.on('error', () => {});
  // Listened for from the start, so a worker that already died does not leave stop() waiting forever.
  const exited = new Promise((resolve) => worker.once('exit', resolve));
  worker.unref();
  return {
    async stop() {
      // Unreferenced, the worker would not keep this process alive while we wait for it to finish.
      worker.ref();
      worker.postMessage('stop');
      await exited;
    },
  };
}
