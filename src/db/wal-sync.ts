// Power-loss durability for SQLite without an fsync on the event loop. The connection runs with
// synchronous=NORMAL, so a COMMIT only writes its WAL frames (no fsync: 3.5 ms of blocked event loop per commit
// under load, 120 µs per message at 30 messages a group, measured on the send bench) and keeps SQLite's atomicity:
// a power cut can only lose a suffix of whole transactions. What makes an acknowledgement safe is then an
// fdatasync of the WAL file that starts after the transaction committed; it runs on libuv's thread pool, and
// concurrent callers share it (coalesced-run.ts).
//
// A flush is skipped when nothing was written since the last one began: a POST that only reads (a cached contact
// check) waited for one all the same. Over 5 s of cached POST /v1/contacts at 64 connections that was 270
// fdatasyncs, now 6 (strace -c). What it saves is the disk's latency: 67 µs per call on an idle disk, milliseconds
// when other work shares it (then 23 % of the contacts profile was idle waiting on it).
import { open, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { coalescedRun } from '../lib/coalesced-run.js';

export interface WalSync {
  /**
   * Says that a statement which may commit a write runs now, in this synchronous turn: a write, or the COMMIT of a
   * transaction. A sync() called after it flushes; one with no write noted since the last flush began does not.
   */
  noteWrite(): void;
  /** Resolves once every transaction committed before the call is on stable storage. */
  sync(): Promise<void>;
  close(): Promise<void>;
}

export function createWalSync(databaseFile: string): WalSync {
  let wal: FileHandle | null = null;

  async function flush(): Promise<void> {
    // Opened on first use: the WAL file exists from the first write until the last connection closes, and this
    // process keeps its connection open until close(). fsync applies to the file, whichever descriptor asks.
    if (!wal) {
      wal = await openWal(`${databaseFile}-wal`);
      // No WAL file yet means nothing was written since the last clean close: nothing to make durable.
      if (!wal) return;
      // The WAL's directory entry must outlive a power cut too; once is enough, the file is never recreated.
      const directory = await open(path.dirname(databaseFile), 'r');
      await directory.sync().finally(() => directory.close());
    }
    await wal.datasync();
  }

  const gate = flushAfterWrites(flush);
  return {
    ...gate,
    async close() {
      await gate.sync().catch(() => {});
      await wal?.close();
      wal = null;
    },
  };
}

const NOTHING_TO_FLUSH = Promise.resolve();

/**
 * Runs `flush` for a sync() only if a write was noted since the last successful flush began. Writes are counted
 * (a generation); a flush records the generation it started at once it succeeded. The generation is noted in the
 * same synchronous turn as the statement runs (better-sqlite3 is synchronous), so a flush that began after the
 * note began after the write too, and covers it.
 */
export function flushAfterWrites(flush: () => Promise<void>): Pick<WalSync, 'noteWrite' | 'sync'> {
  // 1 against 0: what was written before anyone noted it (another process, a previous run) is flushed once.
  let written = 1;
  let flushed = 0;
  const run = coalescedRun(async () => {
    // A run queued behind another may find that one covered every write noted so far.
    if (written === flushed) return;
    const startedAt = written;
    await flush();
    if (startedAt > flushed) flushed = startedAt;
  });
  return {
    noteWrite() {
      written += 1;
    },
    sync: () => (written === flushed ? NOTHING_TO_FLUSH : run()),
  };
}

async function openWal(file: string): Promise<FileHandle | null> {
  try {
    return await open(file, 'r+');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}
