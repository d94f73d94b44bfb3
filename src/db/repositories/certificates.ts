import type { Db } from '../database.js';
import type { CertificatesTable } from '../schema.js';

export type CertificateName = CertificatesTable['name'];

export interface StoredCertificate {
  pem: string;
  updatedAt: number;
}

/** One PEM document per kind; an upload replaces the previous one whole, as the reference's upload overwrites. */
export function createCertificatesRepository(db: Db) {
  return {
    async read(name: CertificateName): Promise<StoredCertificate | undefined> {
      const row = await db.selectFrom('certificates').select(['pem', 'updated_at']).where('name', '=', name).executeTakeFirst();
      return row ? { pem: row.pem, updatedAt: Number(row.updated_at) } : undefined;
    },

    /** Insert or replace in one statement, so two nodes uploading at once leave one whole document, never a mix. */
    async write(name: CertificateName, pem: string, now: number): Promise<void> {
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
