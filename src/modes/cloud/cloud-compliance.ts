// The business compliance information on the cloud gateway: Meta's /{PNID}/business_compliance_info is the one
// source of truth, as whatsapp_business_profile is for the profile (cloud-profile.ts), so nothing is kept locally.
// The shapes correspond field for field (Cloud adds messaging_product); the body is checked with the sandbox's
// rules first, so bad input gets the same 1008/1009 before anything reaches Meta, and Meta gets only what its
// BusinessComplianceInfoUpdateRequest allows (entity_type_custom only for OTHER, is_registered only for OTHER and
// PARTNERSHIP, no null fields).
import { ok } from '../../lib/result.js';
import {
  checkCompliance,
  readEntityType,
  type ComplianceInfo,
  type ContactDetails,
} from '../../services/compliance-rules.js';
import type { ComplianceService } from '../../services/compliance.js';
import type { GraphClient } from './graph-client.js';

const FIELDS =
  'entity_name,entity_type,entity_type_custom,is_registered,grievance_officer_details,customer_care_details';

/** Graph's answer: any field may be null (its "minimal" example for a number that never gave any). */
interface CloudCompliance {
  entity_name?: string | null;
  entity_type?: string | null;
  entity_type_custom?: string | null;
  is_registered?: boolean | null;
  grievance_officer_details?: Partial<
    Record<'name' | 'email' | 'mobile_number' | 'landline_number', string | null>
  > | null;
  customer_care_details?: Partial<Record<'email' | 'mobile_number' | 'landline_number', string | null>> | null;
}

export function createCloudCompliance({
  graph,
  phoneNumberId,
}: {
  graph: GraphClient;
  phoneNumberId: string;
}): ComplianceService {
  const path = `/${phoneNumberId}/business_compliance_info`;
  return {
    async read() {
      const answer = await graph.call<{ data?: CloudCompliance[] }>({ method: 'GET', path, query: { fields: FIELDS } });
      return fromCloud(answer.data?.[0]);
    },
    async write(body) {
      const checked = checkCompliance(body);
      if (!checked.ok) return checked;
      await graph.call({ method: 'POST', path, json: toCloud(checked.value) });
      return ok(checked.value);
    },
  };
}

function toCloud(info: ComplianceInfo): Record<string, unknown> {
  const body: Record<string, unknown> = {
    messaging_product: 'whatsapp',
    entity_name: info.entity_name,
    entity_type: info.entity_type,
    grievance_officer_details: info.grievance_officer_details,
    customer_care_details: info.customer_care_details,
  };
  if (info.entity_type_custom !== null) body.entity_type_custom = info.entity_type_custom;
  if (info.is_registered !== null) body.is_registered = info.is_registered;
  return body;
}

/** Meta answers entity types as words ("Partnership") in its examples: read back in the enum form when one fits. */
function fromCloud(cloud: CloudCompliance | undefined): ComplianceInfo | null {
  if (!cloud?.entity_name || !cloud.entity_type) return null;
  return {
    entity_name: cloud.entity_name,
    entity_type: readEntityType(cloud.entity_type) ?? cloud.entity_type,
    entity_type_custom: cloud.entity_type_custom || null,
    is_registered: cloud.is_registered ?? null,
    grievance_officer_details: {
      name: cloud.grievance_officer_details?.name ?? '',
      ...contactOf(cloud.grievance_officer_details),
    },
    customer_care_details: contactOf(cloud.customer_care_details),
  };
}

function contactOf(details: CloudCompliance['customer_care_details']): ContactDetails {
  const contact: ContactDetails = { email: details?.email ?? '' };
  if (details?.mobile_number) contact.mobile_number = details.mobile_number;
  if (details?.landline_number) contact.landline_number = details.landline_number;
  return contact;
}
