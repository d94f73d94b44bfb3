import { sql, type Kysely } from 'kysely';

// The business's compliance information (GET/POST /v1/settings/business/compliance_info, in Meta's v2.37
// collection): the legal entity and its grievance officer and customer care contacts, shown to customers in India.
// One business per installation, so one row: `id` is always 1 (the check keeps a second row from ever existing).
// The two contact objects are JSON documents; they are written and read whole, never queried into.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('business_compliance')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('entity_name', 'text', (c) => c.notNull())
    .addColumn('entity_type', 'text', (c) => c.notNull())
    .addColumn('entity_type_custom', 'text')
    // 0 or 1; null where the entity type does not take it.
    .addColumn('is_registered', 'integer')
    .addColumn('grievance_officer', 'text', (c) => c.notNull())
    .addColumn('customer_care', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addCheckConstraint('business_compliance_one_row', sql`id = 1`)
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('business_compliance').execute();
}
