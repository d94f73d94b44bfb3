// The business compliance information (/v1/settings/business/compliance_info), as stored. It is read from the
// database on every request, so nothing is cached to drop. A backup made before the section existed lacks it, and
// a restore then leaves the information as it is (section.ts); a backup of an installation that never had any
// carries null, and a restore removes it.
import { createBusinessComplianceRepository } from '../../../db/repositories/business-compliance.js';
import type { Clock } from '../../../lib/clock.js';
import { unwrap } from '../../../lib/result.js';
import { checkCompliance, type ComplianceBody, type ComplianceInfo } from '../../compliance-rules.js';
import { isPlainObject, type BackupSection } from '../section.js';

export interface ComplianceBackup {
  version: 1;
  info: ComplianceInfo | null;
}

export function complianceSection(clock: Clock): BackupSection<ComplianceBackup> {
  return {
    name: 'compliance',
    export: async (db) => ({ version: 1, info: await createBusinessComplianceRepository(db).read() }),
    check: complianceProblem,
    // Stored as the rules read it, so a restore cannot write what a POST could not.
    import: (trx, value) =>
      createBusinessComplianceRepository(trx).replace(value.info && readInfo(value.info), clock.now()),
  };
}

function complianceProblem(value: unknown): string | null {
  if (!isPlainObject(value) || value.version !== 1 || !('info' in value))
    return 'is not a compliance export of version 1';
  if (value.info === null) return null;
  if (!hasBodyShape(value.info)) return 'info does not have the fields of the compliance information';
  const checked = checkCompliance(value.info);
  return checked.ok ? null : `info: ${checked.error.details ?? checked.error.message}`;
}

function readInfo(info: ComplianceInfo): ComplianceInfo {
  return unwrap(checkCompliance(info as ComplianceBody));
}

/** The types the rules rely on (the route's JSON schema guarantees them for a POST). */
function hasBodyShape(value: unknown): value is ComplianceBody {
  if (!isPlainObject(value) || typeof value.entity_name !== 'string' || typeof value.entity_type !== 'string')
    return false;
  if (!optional(value.entity_type_custom, 'string') || !optional(value.is_registered, 'boolean')) return false;
  const officer = value.grievance_officer_details;
  const care = value.customer_care_details;
  return (
    isPlainObject(officer) &&
    typeof officer.name === 'string' &&
    isContact(officer) &&
    isPlainObject(care) &&
    isContact(care)
  );
}

function isContact(value: Record<string, unknown>): boolean {
  return (
    typeof value.email === 'string' &&
    optional(value.mobile_number, 'string') &&
    optional(value.landline_number, 'string')
  );
}

function optional(value: unknown, type: 'string' | 'boolean'): boolean {
  return value === undefined || value === null || typeof value === type;
}
