// The business compliance information (GET/POST /v1/settings/business/compliance_info; in Meta's v2.37 collection):
// the legal entity's name and type, and the grievance officer and customer care contacts WhatsApp shows to
// customers in India. Pure rules; the route's JSON schema has checked the types and the closed shape before these run.
//
// The rules are Meta's published ones for this data (the On-Premises page and the Cloud API's
// BusinessComplianceInfoUpdateRequest, which say the same): entity_name 2-128 characters; entity_type one of six;
// entity_type_custom exactly when the type is OTHER; is_registered required for OTHER and PARTNERSHIP and meaningless
// for the others; the grievance officer's name and email; the customer care email and at least one of its phone
// numbers; phone numbers international (+ and country code). Both back ends check with these, so the sandbox refuses
// what Meta would.
import type { ComplianceInfo, ContactDetails } from '../db/repositories/business-compliance.js';
import { fail, ok, type Result } from '../lib/result.js';

// The stored shape lives with its table (the database layer may not import services); the rules' callers take it
// from here, with the checks.
export type { ComplianceInfo, ContactDetails };

const ENTITY_TYPES = [
  'LIMITED_LIABILITY_PARTNERSHIP',
  'SOLE_PROPRIETORSHIP',
  'PARTNERSHIP',
  'PUBLIC_COMPANY',
  'PRIVATE_COMPANY',
  'OTHER',
] as const;
/** The types that take is_registered (Meta: "can only be used with OTHER or PARTNERSHIP"). */
const REGISTRABLE = ['OTHER', 'PARTNERSHIP'];
const ENTITY_NAME_MIN = 2;
const TEXT_MAX = 128;
const ENTITY_TYPE_CUSTOM_MAX = 1024;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PHONE = /^\+[1-9]\d{1,14}$/;
/** Spacing people write inside phone numbers ("+91 38545-59033", "+1 (631) 555 0100"): removed before the check. */
const PHONE_SPACING = /[\s\-().]/g;

type Optional<T> = { [K in keyof T]?: T[K] | null };

/** The POST body after the route's schema: optional fields may be null (clients send null for "none"). */
export interface ComplianceBody {
  entity_name: string;
  entity_type: string;
  entity_type_custom?: string | null;
  is_registered?: boolean | null;
  grievance_officer_details: { name: string; email: string } & Optional<Omit<ContactDetails, 'email'>>;
  customer_care_details: { email: string } & Optional<Omit<ContactDetails, 'email'>>;
}

/** The body as stored: the entity type in Meta's enum form, "none" as null, phone numbers without spacing. */
export function checkCompliance(body: ComplianceBody): Result<ComplianceInfo> {
  const entityName = body.entity_name.trim();
  if (entityName.length < ENTITY_NAME_MIN || entityName.length > TEXT_MAX) {
    return fail('invalidParameter', `entity_name must be ${ENTITY_NAME_MIN} to ${TEXT_MAX} characters long`);
  }
  const entityType = readEntityType(body.entity_type);
  if (entityType === null) {
    return fail(
      'invalidParameter',
      `entity_type must be one of ${ENTITY_TYPES.join(', ')} (or the same in words, such as "Private Company")`,
    );
  }
  const custom = blankToNull(body.entity_type_custom);
  if (entityType === 'OTHER' && custom === null)
    return fail(
      'missingParameter',
      'missing required parameter entity_type_custom: entity_type OTHER needs a description',
    );
  if (entityType !== 'OTHER' && custom !== null)
    return fail('invalidParameter', 'entity_type_custom is only for entity_type OTHER');
  if (custom !== null && custom.length > ENTITY_TYPE_CUSTOM_MAX)
    return fail('invalidParameter', `entity_type_custom must be at most ${ENTITY_TYPE_CUSTOM_MAX} characters long`);
  const registrable = REGISTRABLE.includes(entityType);
  const registered = body.is_registered ?? null;
  if (registrable && registered === null)
    return fail('missingParameter', `missing required parameter is_registered: entity_type ${entityType} needs it`);
  // false for another type says nothing (clients send the whole form); true claims what the type cannot carry.
  if (!registrable && registered === true)
    return fail('invalidParameter', 'is_registered is only for entity_type OTHER or PARTNERSHIP');

  const officerName = body.grievance_officer_details.name.trim();
  if (officerName === '' || officerName.length > TEXT_MAX)
    return fail('invalidParameter', `grievance_officer_details.name must be 1 to ${TEXT_MAX} characters long`);
  const officer = readContact('grievance_officer_details', body.grievance_officer_details);
  if (!officer.ok) return officer;
  const care = readContact('customer_care_details', body.customer_care_details);
  if (!care.ok) return care;
  if (care.value.mobile_number === undefined && care.value.landline_number === undefined) {
    return fail(
      'missingParameter',
      'missing required parameter customer_care_details.mobile_number or customer_care_details.landline_number',
    );
  }
  return ok({
    entity_name: entityName,
    entity_type: entityType,
    entity_type_custom: custom,
    is_registered: registrable ? registered : null,
    grievance_officer_details: { name: officerName, ...officer.value },
    customer_care_details: care.value,
  });
}

/** "PRIVATE_COMPANY", "Private Company", "private-company" are one type; anything else is null. */
export function readEntityType(value: string): string | null {
  const form = value
    .trim()
    .toUpperCase()
    .replace(/[\s-]+/g, '_');
  return (ENTITY_TYPES as readonly string[]).includes(form) ? form : null;
}

function readContact(path: string, details: ComplianceBody['customer_care_details']): Result<ContactDetails> {
  const email = details.email.trim();
  if (email.length > TEXT_MAX || !EMAIL.test(email))
    return fail('invalidParameter', `${path}.email must be an email address of at most ${TEXT_MAX} characters`);
  const contact: ContactDetails = { email };
  for (const field of ['mobile_number', 'landline_number'] as const) {
    const raw = blankToNull(details[field]);
    if (raw === null) continue;
    const phone = raw.replace(PHONE_SPACING, '');
    if (!PHONE.test(phone))
      return fail(
        'invalidParameter',
        `${path}.${field} must be an international phone number: + and the country code, such as "+913854559033"`,
      );
    contact[field] = phone;
  }
  return ok(contact);
}

function blankToNull(value: string | null | undefined): string | null {
  if (value === undefined || value === null) return null;
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed;
}

/**
 * What GET shows: the stored information in the shape Meta's page shows (entity_type_custom "" and is_registered
 * false where they do not apply), or an empty object when none was ever given.
 */
export function complianceView(info: ComplianceInfo | null): Record<string, unknown> {
  if (info === null) return {};
  return { ...info, entity_type_custom: info.entity_type_custom ?? '', is_registered: info.is_registered ?? false };
}
