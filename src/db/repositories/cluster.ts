// The leader lease and the node registry (migration 0013). One SQL operation per method; the lease is taken or
// renewed with one conditional upsert, so two nodes racing for it cannot both win.
import type { Db } from '../database.js';
import type { ClusterNodesTable } from '../schema.js';

export type NodeRow = ClusterNodesTable;

export function createClusterRepository(db: Db) {
  return {
    /**
     * Takes the lease if it is free or expired, renews it if `holder` has it; answers whether `holder` holds it now,
     * until `expiresAt`. `acquired_at` stays that of the holder's first take, across its renewals.
     */
    async acquireLease(name: string, holder: string, now: number, expiresAt: number): Promise<boolean> {
      const row = await db
        .insertInto('cluster_leases')
        .values({ name, holder, acquired_at: now, expires_at: expiresAt })
        .onConflict((oc) =>
          oc
            .column('name')
            .doUpdateSet((eb) => ({
              holder: eb.ref('excluded.holder'),
              expires_at: eb.ref('excluded.expires_at'),
              acquired_at: eb
                .case()
                .when('cluster_leases.holder', '=', eb.ref('excluded.holder'))
                .then(eb.ref('cluster_leases.acquired_at'))
                .else(eb.ref('excluded.acquired_at'))
                .end(),
            }))
            .where((eb) =>
              eb.or([eb('cluster_leases.holder', '=', holder), eb('cluster_leases.expires_at', '<=', now)]),
            ),
        )
        .returning('holder')
        .executeTakeFirst();
      return row?.holder === holder;
    },

    /** Gives the lease up at once (a clean stop), if `holder` still has it. */
    async releaseLease(name: string, holder: string): Promise<void> {
      await db.deleteFrom('cluster_leases').where('name', '=', name).where('holder', '=', holder).execute();
    },

    /** The holder of an unexpired lease, or null. */
    async leaseHolder(name: string, now: number): Promise<string | null> {
      const row = await db
        .selectFrom('cluster_leases')
        .select('holder')
        .where('name', '=', name)
        .where('expires_at', '>', now)
        .executeTakeFirst();
      return row?.holder ?? null;
    },

    /** Writes this node's row: its first heartbeat inserts it, later ones refresh last_seen_at and the gateway state. */
    async heartbeat(row: NodeRow): Promise<void> {
      await db
        .insertInto('cluster_nodes')
        .values(row)
        .onConflict((oc) =>
          oc.column('node_key').doUpdateSet({ last_seen_at: row.last_seen_at, gateway_status: row.gateway_status }),
        )
        .execute();
    },

    /** Nodes seen since `since`, oldest start first (a stable order for health and support answers). */
    liveNodes(since: number): Promise<NodeRow[]> {
      return db
        .selectFrom('cluster_nodes')
        .selectAll()
        .where('last_seen_at', '>=', since)
        .orderBy('started_at')
        .orderBy('node_key')
        .execute();
    },

    async removeNode(nodeKey: string): Promise<void> {
      await db.deleteFrom('cluster_nodes').where('node_key', '=', nodeKey).execute();
    },

    /** Forgets nodes unseen since `before`; answers how many. */
    async pruneNodes(before: number): Promise<number> {
      const result = await db.deleteFrom('cluster_nodes').where('last_seen_at', '<', before).executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}

export type ClusterRepository = ReturnType<typeof createClusterRepository>;
