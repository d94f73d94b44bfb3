import type { Kysely } from 'kysely';

// scheduled_effects_message was never read by any query (the network claims effects by due time and deletes them by
// id), yet every effect, four per sent message, paid for it twice: inserted and deleted, each time on a page of its
// own, written to the WAL at every commit (bench/README.md, "The send path").
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('scheduled_effects_message').execute();
}
