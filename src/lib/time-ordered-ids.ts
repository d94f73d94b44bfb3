// Ids that start with their creation time, then random bytes. Rows written together get neighbouring keys, so a
// commit dirties a few index pages instead of one random page per row: SQLite writes every dirty page to the WAL
// on each COMMIT, and with random message and delivery ids the send bench's commits averaged 680 µs (≈ 150 pages).
// The random part alone keeps them unguessable; the time part is only for locality (the wall clock is fine here).
import { randomBytes } from 'node:crypto';

const TIME_BYTES = 6; // milliseconds since 1970 fit in 48 bits until the year 10889
// One randomBytes call per 64 KiB of ids: a call costs about as much for 64 KiB as for 30 bytes, and one per message
// was 9 % of the send path's CPU (profiled at 8,000 sends/s).
const POOL_BYTES = 64 * 1024;
let pool = Buffer.alloc(0);
let offset = 0;

/** `randomCount` random bytes after the 6-byte big-endian time in milliseconds. */
export function timeOrderedBytes(randomCount: number, now: number = Date.now()): Buffer {
  if (offset + randomCount > pool.length) {
    pool = randomBytes(POOL_BYTES);
    offset = 0;
  }
  const bytes = Buffer.allocUnsafe(TIME_BYTES + randomCount);
  bytes.writeUIntBE(now, 0, TIME_BYTES);
  pool.copy(bytes, TIME_BYTES, offset, offset + randomCount);
  offset += randomCount;
  return bytes;
}

/** A version 7 UUID (RFC 9562): 48 bits of milliseconds, then 74 random bits. */
export function uuidV7(now: number = Date.now()): string {
  const bytes = timeOrderedBytes(10, now);
  bytes[6] = 0x70 | (bytes[6]! & 0x0f);
  bytes[8] = 0x80 | (bytes[8]! & 0x3f);
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
