// The checks of POST /v1/account, /v1/account/verify and /v1/account/shards (docs/api/account-and-registration.md):
// pure functions from request values to checked values or the API's error. The service (account.ts) stores them.
import { randomInt } from 'node:crypto';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { fail, ok, type Result } from '../lib/result.js';
import { readVerifiedNameCert } from '../lib/verified-name-cert.js';

const METHODS = ['sms', 'voice'] as const;
export type CodeMethod = (typeof METHODS)[number];
export const SHARD_COUNTS = [1, 2, 4, 8, 16, 32] as const;

export interface BusinessNumber {
  cc: string;
  phoneNumber: string;
  /** E.164 digits without '+'. */
  waId: string;
}

/** Splits a wa_id into its country code and national number, as POST /v1/account carries them. */
export function splitNumber(waId: string): BusinessNumber {
  const parsed = parsePhoneNumberFromString(`+${waId}`);
  if (!parsed) throw new Error(`${waId} is not a phone number`);
  return { cc: parsed.countryCallingCode, phoneNumber: parsed.nationalNumber, waId };
}

/**
 * `cc` and `phone_number` as the old API documented them (digits, without '+'); the separators people type
 * ("631-555-0000", "(631) 555 0000") are tolerated in `phone_number`. Both must make a valid number together.
 */
function readNumber(cc: string, phoneNumber: string): Result<BusinessNumber> {
  const code = cc.trim().replace(/^\+/, '');
  if (!/^\d{1,3}$/.test(code))
    return fail(
      'invalidParameter',
      `cc must be the numeric country calling code (1 to 3 digits, such as "1"), got "${cc}"`,
    );
  const national = phoneNumber.trim();
  if (!/^[\d\s().-]{1,32}$/.test(national) || !/\d/.test(national)) {
    return fail(
      'invalidParameter',
      `phone_number must be the number's digits without the country code or '+', got "${phoneNumber}"`,
    );
  }
  const parsed = parsePhoneNumberFromString(`+${code}${national.replace(/\D/g, '')}`);
  if (!parsed || parsed.countryCallingCode !== code)
    return fail('invalidParameter', `cc ${code} is not a country calling code`);
  if (!parsed.isValid())
    return fail('invalidParameter', `phone_number ${national} is not a valid number for country code ${code}`);
  return ok({ cc: code, phoneNumber: parsed.nationalNumber, waId: parsed.number.slice(1) });
}

/** `sms` or `voice`; the old Postman prose wrote SMS/VOICE while clients sent lower case, so case is ignored. */
function readMethod(method: string): Result<CodeMethod> {
  const lower = method.trim().toLowerCase();
  return (METHODS as readonly string[]).includes(lower)
    ? ok(lower as CodeMethod)
    : fail('invalidParameter', `method must be one of sms, voice; got "${method}"`);
}

export function readCert(cert: string): Result<{ vname: string; cert: string }> {
  const details = readVerifiedNameCert(cert);
  if (typeof details === 'string') return fail('invalidParameter', `cert ${details}`);
  return ok({ vname: details.vname, cert: cert.trim() });
}

/** The two-step PIN (docs/api/profile.md#two-step-verification): six digits when given. */
export function checkPin(pin: string | undefined): Result<void> {
  if (pin !== undefined && !/^\d{6}$/.test(pin))
    return fail('invalidParameter', 'pin must be the 6-digit two-step verification PIN');
  return ok(undefined);
}

/** The code as received: six digits, also written "123-456" as SMS texts show it. */
export function readCode(code: string): Result<string> {
  const digits = code.trim().replace(/^(\d{3})[- ](\d{3})$/, '$1$2');
  return /^\d{6}$/.test(digits)
    ? ok(digits)
    : fail('invalidParameter', `code must be the 6-digit registration code (123456 or 123-456), got "${code}"`);
}

/** 1, 2, 4, 8, 16 or 32, as an integer or a numeric string (the Postman-derived spec listed string values). */
export function readShards(value: number | string): Result<number> {
  const count = typeof value === 'string' && /^\d{1,2}$/.test(value.trim()) ? Number(value.trim()) : value;
  return (SHARD_COUNTS as readonly unknown[]).includes(count)
    ? ok(count as number)
    : fail('invalidParameter', `shards must be one of ${SHARD_COUNTS.join(', ')}, got ${describeGiven(value)}`);
}

/** A scalar as JSON, but an array or object only by its kind: quoting a client's structure would copy it, however
 *  large, into the answer (and JSON.stringify recurses, however deep). Long strings are cut. */
function describeGiven(value: unknown): string {
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object' && value !== null) return 'an object';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

/** A registration code: six random digits, leading zeros kept. */
export function generateCode(): string {
  return String(randomInt(0, 1_000_000)).padStart(6, '0');
}

/** That cc + phone_number are this server's business number; `setting` names the variable that configures it. */
export function checkSameNumber(
  cc: string,
  phoneNumber: string,
  business: BusinessNumber,
  setting: string,
): Result<void> {
  const number = readNumber(cc, phoneNumber);
  if (!number.ok) return number;
  if (number.value.waId !== business.waId) {
    return fail(
      'invalidParameter',
      `+${number.value.waId} is not this server's business number +${business.waId} (${setting})`,
    );
  }
  return ok(undefined);
}

/**
 * POST /v1/account's fields, in the order docs/api/account-and-registration.md#request-a-registration-code checks
 * them: this server's number, method, cert, pin.
 */
export function readCodeRequest(
  body: { cc: string; phone_number: string; method: string; cert: string; pin?: string },
  business: BusinessNumber,
  setting: string,
): Result<{ method: CodeMethod; vname: string; cert: string }> {
  const number = checkSameNumber(body.cc, body.phone_number, business, setting);
  if (!number.ok) return number;
  const method = readMethod(body.method);
  if (!method.ok) return method;
  const cert = readCert(body.cert);
  if (!cert.ok) return cert;
  const pin = checkPin(body.pin);
  if (!pin.ok) return pin;
  return ok({ method: method.value, ...cert.value });
}
