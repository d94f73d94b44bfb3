// A backup is a list of sections, each owning some tables: it exports them, checks what a backup holds for them,
// and imports it. A restore checks every section before it writes anything, then imports them all in one
// transaction, so a backup that fails any check, or a database error half-way, changes nothing.
//
// Adding data to backups is one more section listed in sections.ts; nothing else changes.
// A backup made before a section existed simply lacks it, and a restore leaves that section's data as it is.
import type { Db } from '../../db/database.js';

export interface BackupSection<T = unknown> {
  /** The key in the payload's `sections` object. Never renamed once shipped: old backups carry it. */
  readonly name: string;

  /** Reads the section's data, inside the backup's read transaction (one snapshot for every section). */
  export(db: Db): Promise<T>;

  /** Why `value`, as found in a backup, cannot be restored here; null when it can. Runs before anything is written. */
  check(value: unknown): string | null;

  /** Replaces this installation's data with the checked value, inside the restore's one transaction. */
  import(trx: Db, value: T): Promise<void>;

  /** After the commit: this node drops what it keeps in memory of the section's tables, and tells the other nodes
   *  to (src/cluster/invalidation.ts); without the notice they re-read within WA_SETTINGS_REFRESH_MS, WA_TOKEN_CACHE_MS. */
  afterRestore?(): Promise<void> | void;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function isTimestamp(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}
