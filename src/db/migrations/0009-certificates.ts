import type { Kysely } from 'kysely';

// Certificates uploaded through /v1/certificates (docs/api/certificates.md), one row per kind: `external` (the private
// key, the certificate and its intermediates, served over HTTPS) and `webhooks_ca` (the CA bundle the webhook
// dispatcher trusts). In the database rather than the data directory so that every node sharing PostgreSQL serves and
// trusts the same ones. The PEM text is the canonical form written by src/tls/, never the raw upload.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('certificates')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('pem', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('certificates').execute();
}
