// Media in the database, in 256 KB rows of media_chunks (key, seq, data): an upload writes each chunk as it
// fills and a download reads one chunk at a time as the client takes it, so neither holds a whole file. Chunks are
// written outside a transaction: on SQLite a transaction holds the only connection, and an upload arriving over a
// slow network must not stall every other request. The media row, written last, is what makes the chunks count;
// chunks of an upload that died are removed by the media retention pass (src/services/media/retention.ts).
import { Readable } from 'node:stream';
import type { Db } from '../../db/database.js';
import type { BlobStore } from './store.js';

// 256 KB: 400 rows for the largest document (100 MB); small enough for any PostgreSQL or SQLite row, large enough
// that per-row overhead stays under 1 %.
const CHUNK_BYTES = 256 * 1024;

export function createDatabaseStore(db: Db): BlobStore {
  async function insert(key: string, seq: number, data: Buffer): Promise<void> {
    await db.insertInto('media_chunks').values({ storage_key: key, seq, data }).execute();
  }

  async function chunkAt(key: string, seq: number): Promise<Buffer | null> {
    const row = await db
      .selectFrom('media_chunks')
      .select('data')
      .where('storage_key', '=', key)
      .where('seq', '=', seq)
      .executeTakeFirst();
    return row ? row.data : null;
  }

  return {
    async write(key, chunks) {
      // One buffer, filled and written again and again: the drivers copy the bytes before the insert resolves.
      const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
      let filled = 0;
      let seq = 0;
      try {
        for await (const chunk of chunks) {
          for (let offset = 0; offset < chunk.length; ) {
            const taken = chunk.copy(buffer, filled, offset);
            filled += taken;
            offset += taken;
            if (filled === CHUNK_BYTES) {
              await insert(key, seq++, buffer);
              filled = 0;
            }
          }
        }
        if (filled > 0) await insert(key, seq, buffer.subarray(0, filled));
      } catch (error) {
        await db
          .deleteFrom('media_chunks')
          .where('storage_key', '=', key)
          .execute()
          .catch(() => {});
        throw error;
      }
    },

    async open(key) {
      const first = await chunkAt(key, 0);
      if (!first) return null;
      let seq = 0;
      // Readable.from pulls the next chunk only when the client has taken the last one; a byte stream (not object
      // mode) with a one-chunk high-water mark keeps at most about two chunks in memory per download.
      const chunks = async function* () {
        let chunk: Buffer | null = first;
        while (chunk) {
          yield chunk;
          chunk = await chunkAt(key, ++seq);
        }
      };
      return Readable.from(chunks(), { objectMode: false, highWaterMark: CHUNK_BYTES });
    },

    async remove(key) {
      await db.deleteFrom('media_chunks').where('storage_key', '=', key).execute();
    },
  };
}
