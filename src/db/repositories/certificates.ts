import type { Db } from '../database.js';
import type { CertificatesTable } from '../schema.js';
import { isSealed, type SecretsSealer } from '../../lib/sealed-secrets.js';

export type CertificateName = CertificatesTable['name'];

export interface StoredCertificate {
  pem: string;
  updatedAt: number;
}

/** Only `external` holds a secret (the private key); the webhooks CA bundle is public and stays readable. */
const SEALED: ReadonlySet<CertificateName> = new Set(['external']);

/**
 * One PEM document per kind; an upload replaces the previous one whole, as the old API's upload overwrote.
 * Reading an `external` document sealed with another key throws SealedSecretError; every reader already treats an
 * unreadable stored certificate as absent, with a log line.
 */
export function createCertificatesRepository(db: Db, sealer: SecretsSealer) {
  const open = (name: CertificateName, stored: string) =>
    SEALED.has(name) && isSealed(stored) ? sealer.open(stored) : stored;
  return {
    async read(name: CertificateName): Promise<StoredCertificate | undefined> {
      const row = await db
        .selectFrom('certificates')
        .select(['pem', 'updated_at'])
        .where('name', '=', name)
        .executeTakeFirst();
      return row ? { pem: open(name, row.pem), updatedAt: Number(row.updated_at) } : undefined;
    },

    /** Insert or replace in one statement, so two nodes uploading at once leave one whole document, never a mix. */
    async write(name: CertificateName, plain: string, now: number): Promise<void> {
      const pem = SEALED.has(name) ? sealer.seal(plain) : plain;
      await db
        .insertInto('certificates')
        .values({ name, pem, updated_at: now })
        .onConflict((oc) => oc.column('name').doUpdateSet({ pem, updated_at: now }))
        .execute();
    },

    /** True when there was a row to delete. */
    async delete(name: CertificateName): Promise<boolean> {
      const result = await db.deleteFrom('certificates').where('name', '=', name).executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },
  };
}

export type CertificatesRepository = ReturnType<typeof createCertificatesRepository>;
