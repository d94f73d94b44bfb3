import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../dialect.js';

// Media bytes in the database (WA_MEDIA_STORE=database, the default on PostgreSQL) and the journal of blobs being
// written or removed, whichever store holds them: a node that dies half-way through either leaves a row here, and
// the media retention pass finishes the job. The index on media.created_at serves that pass's age query.
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  await db.schema
    .createTable('media_chunks')
    .addColumn('storage_key', 'text', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('data', dialect === 'sqlite' ? sql`blob` : sql`bytea`, (c) => c.notNull())
    .addPrimaryKeyConstraint('media_chunks_pkey', ['storage_key', 'seq'])
    .execute();

  await db.schema
    .createTable('media_pending')
    .addColumn('storage_key', 'text', (c) => c.primaryKey())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('since', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema.createIndex('media_created').on('media').column('created_at').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('media_created').execute();
  await db.schema.dropTable('media_pending').execute();
  await db.schema.dropTable('media_chunks').execute();
}
