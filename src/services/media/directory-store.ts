// Media as files: <dir>/<first two characters of the id>/<id>, so that no directory holds more than a few
// thousand files. A write goes straight to its final name (a media row makes a file visible only once it is
// complete), is fsynced with its directory before it counts as written, and is removed if it fails half-way.
import { mkdir, open, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import type { BlobStore } from './store.js';

export function createDirectoryStore(root: string): BlobStore {
  const fileOf = (key: string) => path.join(root, key.slice(0, 2), key);

  return {
    async write(key, chunks) {
      const file = fileOf(key);
      // The owner's alone (0700 directories, 0600 files), as everything in the data directory.
      await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
      const handle = await open(file, 'wx', 0o600);
      try {
        for await (const chunk of chunks) {
          // write() may take less than the whole chunk; the rest goes in the next call.
          for (let offset = 0; offset < chunk.length; ) offset += (await handle.write(chunk, offset)).bytesWritten;
        }
        await handle.sync();
      } catch (error) {
        await handle.close().catch(() => {});
        await rm(file, { force: true });
        throw error;
      }
      await handle.close();
      await syncDirectory(path.dirname(file));
    },

    async open(key) {
      try {
        const handle = await open(fileOf(key), 'r');
        // The stream owns the handle and closes it at the end, on error, or when destroyed (client gone).
        return handle.createReadStream({ highWaterMark: 256 * 1024 }) as Readable;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw error;
      }
    },

    async remove(key) {
      await rm(fileOf(key), { force: true });
    },
  };
}

/** A new file's name is durable only once its directory is synced too. */
async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
