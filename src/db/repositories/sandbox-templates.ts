import type { Db } from '../database.js';
import type { SandboxTemplatesTable } from '../schema.js';

export type SandboxTemplateRow = SandboxTemplatesTable;

export interface TemplateKey {
  namespace: string;
  name: string;
  language: string;
}

export interface TemplateFilter {
  namespace?: string;
  name?: string;
  language?: string;
  category?: SandboxTemplateRow['category'];
  status?: SandboxTemplateRow['status'];
}

/** The columns a PATCH may change. */
export type TemplateChanges = Partial<Pick<SandboxTemplateRow, 'category' | 'status' | 'components'>>;

// 500 rows of 8 columns: 4,000 bound values a statement, far below SQLite's limit of 32,766.
const INSERT_CHUNK = 500;

export function createSandboxTemplatesRepository(db: Db) {
  return {
    /** Unordered: the caller sorts, so that both dialects answer in the same order whatever their collation. */
    list(filter: TemplateFilter): Promise<SandboxTemplateRow[]> {
      let query = db.selectFrom('sandbox_templates').selectAll();
      for (const column of ['namespace', 'name', 'language', 'category', 'status'] as const) {
        const value = filter[column];
        if (value !== undefined) query = query.where(column, '=', value);
      }
      return query.execute();
    },

    find(key: TemplateKey): Promise<SandboxTemplateRow | undefined> {
      return db
        .selectFrom('sandbox_templates')
        .selectAll()
        .where('namespace', '=', key.namespace)
        .where('name', '=', key.name)
        .where('language', '=', key.language)
        .executeTakeFirst();
    },

    /** Every translation of one template: a range of the primary key, the only read of a send check. */
    findTranslations(
      namespace: string,
      name: string,
    ): Promise<Pick<SandboxTemplateRow, 'language' | 'category' | 'status' | 'components'>[]> {
      return db
        .selectFrom('sandbox_templates')
        .select(['language', 'category', 'status', 'components'])
        .where('namespace', '=', namespace)
        .where('name', '=', name)
        .execute();
    },

    async namespaceExists(namespace: string): Promise<boolean> {
      const row = await db
        .selectFrom('sandbox_templates')
        .select('name')
        .where('namespace', '=', namespace)
        .limit(1)
        .executeTakeFirst();
      return row !== undefined;
    },

    /** False when a template with that key exists. */
    async insert(row: SandboxTemplateRow): Promise<boolean> {
      const result = await db
        .insertInto('sandbox_templates')
        .values(row)
        .onConflict((oc) => oc.columns(['namespace', 'name', 'language']).doNothing())
        .executeTakeFirst();
      return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
    },

    /** Writes only the given columns, so that two PATCHes of different fields at once both hold. False if absent. */
    async update(key: TemplateKey, changes: TemplateChanges, now: number): Promise<boolean> {
      const result = await db
        .updateTable('sandbox_templates')
        .set({ ...changes, updated_at: now })
        .where('namespace', '=', key.namespace)
        .where('name', '=', key.name)
        .where('language', '=', key.language)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },

    /** Replaces the whole registry with `rows` (a restore). Call inside a transaction. */
    async replaceAll(rows: SandboxTemplateRow[]): Promise<void> {
      await db.deleteFrom('sandbox_templates').execute();
      for (let i = 0; i < rows.length; i += INSERT_CHUNK)
        await db
          .insertInto('sandbox_templates')
          .values(rows.slice(i, i + INSERT_CHUNK))
          .execute();
    },

    async delete(key: TemplateKey): Promise<boolean> {
      const result = await db
        .deleteFrom('sandbox_templates')
        .where('namespace', '=', key.namespace)
        .where('name', '=', key.name)
        .where('language', '=', key.language)
        .executeTakeFirst();
      return Number(result.numDeletedRows) === 1;
    },
  };
}

export type SandboxTemplatesRepository = ReturnType<typeof createSandboxTemplatesRepository>;
