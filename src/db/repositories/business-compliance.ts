import type { Db } from '../database.js';

export interface ContactDetails {
  email: string;
  mobile_number?: string;
  landline_number?: string;
}

interface GrievanceOfficer extends ContactDetails {
  name: string;
}

export interface ComplianceInfo {
  entity_name: string;
  /**
   * One of ENTITY_TYPES (src/services/compliance-rules.ts) when set through this API; read back from Meta it may be
   * another label Meta uses.
   */
  entity_type: string;
  /** Only with entity_type OTHER. */
  entity_type_custom: string | null;
  /** Only with OTHER and PARTNERSHIP. */
  is_registered: boolean | null;
  grievance_officer_details: GrievanceOfficer;
  customer_care_details: ContactDetails;
}

/** The one row's key (the table's check allows no other). */
const ROW_ID = 1;

/** The business compliance information: one row, read from the database on every call (the endpoint is rare). */
export function createBusinessComplianceRepository(db: Db) {
  return {
    async read(): Promise<ComplianceInfo | null> {
      const row = await db.selectFrom('business_compliance').selectAll().where('id', '=', ROW_ID).executeTakeFirst();
      if (!row) return null;
      return {
        entity_name: row.entity_name,
        entity_type: row.entity_type,
        entity_type_custom: row.entity_type_custom,
        is_registered: row.is_registered === null ? null : Number(row.is_registered) === 1,
        grievance_officer_details: JSON.parse(row.grievance_officer) as ComplianceInfo['grievance_officer_details'],
        customer_care_details: JSON.parse(row.customer_care) as ComplianceInfo['customer_care_details'],
      };
    },

    /** Creates or replaces the row; null removes it (a restore of a backup made before any was given). */
    async replace(info: ComplianceInfo | null, now: number): Promise<void> {
      if (info === null) {
        await db.deleteFrom('business_compliance').where('id', '=', ROW_ID).execute();
        return;
      }
      const values = {
        entity_name: info.entity_name,
        entity_type: info.entity_type,
        entity_type_custom: info.entity_type_custom,
        is_registered: info.is_registered === null ? null : info.is_registered ? 1 : 0,
        grievance_officer: JSON.stringify(info.grievance_officer_details),
        customer_care: JSON.stringify(info.customer_care_details),
        updated_at: now,
      };
      await db
        .insertInto('business_compliance')
        .values({ id: ROW_ID, ...values })
        .onConflict((oc) => oc.column('id').doUpdateSet(values))
        .execute();
    },
  };
}

export type BusinessComplianceRepository = ReturnType<typeof createBusinessComplianceRepository>;
