// Work rows (callbacks, Meta's webhooks, contact look-ups: db/leased-queue.ts) are claimed under leases so that a
// node that dies loses its claim when the lease runs out. On SQLite only one process uses the database, so at
// start-up every lease left in it belongs to a process that is gone: they are released at once instead of waited
// out (Meta's webhooks too, whose 2-minute lease was waited out before). The same holds for the leader lease and
// the node registry (src/cluster/): the new process takes the lead at once.
import type { DatabaseHandle } from './database.js';
import { LEASED_TABLES } from './leased-queue.js';

export async function releaseLeasesOfDeadProcess(db: DatabaseHandle): Promise<void> {
  if (db.dialect !== 'sqlite') return;
  for (const table of LEASED_TABLES) {
    await db.db.updateTable(table).set({ claimed_until: null }).where('claimed_until', 'is not', null).execute();
  }
  await db.db.deleteFrom('cluster_leases').execute();
  await db.db.deleteFrom('cluster_nodes').execute();
}
