import { sql, type Kysely } from 'kysely';

// Several nodes on one database (docs/api/cluster.md#leader-and-heartbeats: heartbeats and a leader lease, all in the
// database). The database is the only coordination point: a lease row names the node that runs the singleton work, a
// registry row per node says who is live, and status callbacks carry their message's id so that one message's callbacks
// leave in order.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('cluster_leases')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('holder', 'text', (c) => c.notNull())
    .addColumn('acquired_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('cluster_nodes')
    .addColumn('node_key', 'text', (c) => c.primaryKey())
    .addColumn('hostname', 'text', (c) => c.notNull())
    .addColumn('version', 'text', (c) => c.notNull())
    .addColumn('started_at', 'bigint', (c) => c.notNull())
    .addColumn('last_seen_at', 'bigint', (c) => c.notNull())
    .addColumn('gateway_status', 'text', (c) => c.notNull())
    .execute();

  await db.schema.alterTable('webhook_outbox').addColumn('ordering_key', 'text').execute();
  // The claim's "is an earlier callback of this message still due?" probe. Partial: delivered rows, the vast
  // majority, are not in it, so it stays as small as the backlog.
  await db.schema
    .createIndex('webhook_outbox_ordering')
    .on('webhook_outbox')
    .columns(['ordering_key', 'id'])
    .where(sql.ref('state'), '=', 'pending')
    .execute();
}
