// What the node keeps on disk is its owner's alone: the data directory 0700, the files in it 0600. New files get
// these modes where they are created (and `openprem` runs under umask 077); this closes what an older release, a
// copy by hand or a restore left open, once at start-up, and logs each change.
// On a shared volume (WA_MEDIA_STORE=directory on NFS for a cluster) the modes still hold: every node runs as the
// same owner.
import { chmod, mkdir, stat } from 'node:fs/promises';
import path from 'node:path';

const PRIVATE_DIR_MODE = 0o700;
const PRIVATE_FILE_MODE = 0o600;

interface Log {
  warn(obj: object, message: string): void;
}

/** Creates the directory 0700 if missing; an existing one open to group or others is closed. */
export async function ensurePrivateDirectory(dir: string, log: Log): Promise<void> {
  await mkdir(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  await tighten(dir, PRIVATE_DIR_MODE, log);
}

/** Closes each existing file open to group or others to 0600; missing files are skipped. */
export async function tightenPrivateFiles(files: readonly string[], log: Log): Promise<void> {
  for (const file of files) await tighten(file, PRIVATE_FILE_MODE, log);
}

/** The SQLite database and the WAL and shared-memory files SQLite keeps beside it. */
export function sqliteFiles(file: string): string[] {
  return [file, `${file}-wal`, `${file}-shm`, `${file}-journal`].map((name) => path.resolve(name));
}

async function tighten(file: string, mode: number, log: Log): Promise<void> {
  let current: number;
  try {
    current = (await stat(file)).mode & 0o777;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  if ((current & 0o077) === 0) return;
  await chmod(file, current & mode);
  log.warn(
    { file, was: current.toString(8), now: (current & mode).toString(8) },
    'closed a file of the data directory that group or others could read',
  );
}
