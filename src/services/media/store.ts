// Where media bytes live, behind one interface: a directory (the default with SQLite; with several nodes it must
// be a volume they all mount, as On-Prem's /usr/local/wamedia was) or the database (the default with PostgreSQL,
// so that several nodes share nothing but the database). A media row's storage_key names the store that holds its
// bytes ("directory:<id>", "database:<id>"), so media written before a change of WA_MEDIA_STORE stay readable.
import type { Readable } from 'node:stream';

export type StoreName = 'directory' | 'database';

/** Bytes under a key. Writes stream (never a whole file in memory) and are durable when they resolve. */
export interface BlobStore {
  write(key: string, chunks: AsyncIterable<Buffer>): Promise<void>;
  /** The bytes as a stream, or null when the key holds nothing. */
  open(key: string): Promise<Readable | null>;
  /** Removes the bytes; removing what is not there is not an error. */
  remove(key: string): Promise<void>;
}

export interface MediaStorage {
  /** The storage key new media with this id get, in the configured store. */
  keyFor(id: string): string;
  write(storageKey: string, chunks: AsyncIterable<Buffer>): Promise<void>;
  open(storageKey: string): Promise<Readable | null>;
  remove(storageKey: string): Promise<void>;
}

// Ids are UUIDs; nothing else may become a file name or a key.
const KEY = /^(directory|database):([0-9a-f-]{36})$/;

export function createMediaStorage(writeTo: StoreName, stores: Record<StoreName, BlobStore>): MediaStorage {
  function locate(storageKey: string): [BlobStore, string] {
    const match = KEY.exec(storageKey);
    if (!match) throw new Error(`not a media storage key: ${storageKey}`);
    return [stores[match[1] as StoreName], match[2]!];
  }
  return {
    keyFor: (id) => `${writeTo}:${id}`,
    write: (storageKey, chunks) => {
      const [store, key] = locate(storageKey);
      return store.write(key, chunks);
    },
    open: (storageKey) => {
      const [store, key] = locate(storageKey);
      return store.open(key);
    },
    remove: (storageKey) => {
      const [store, key] = locate(storageKey);
      return store.remove(key);
    },
  };
}
