// Readers for a hand-validated JSON body: each names the field by its JSON path (contacts[0].name.formatted_name)
// and throws the ApiError the On-Prem API answered with: 1008 missing, 1009 wrong type or value, 1010 not accepted
// (docs/api/README.md#request-bodies). The wording follows src/http/validation-errors.ts, so a client sees one style
// whether Ajv or these readers found the fault.
//
// null is a value like any other here: it is not the field's absence, so `"caption": null` is 1009, as Ajv
// (strict, no coercion, see app.ts) answers it on every schema-validated route.
import { ApiError } from '../../../errors.js';

export type JsonObject = Record<string, unknown>;

/** `path.key`, or `key` at the top of the body. */
export function child(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

export function missing(path: string, why?: string): ApiError {
  return new ApiError('missingParameter', `missing required parameter ${path}${why ? `: ${why}` : ''}`);
}

export function invalid(path: string, expected: string): ApiError {
  return new ApiError('invalidParameter', `${path || 'the body'} must be ${expected}`);
}

export function unexpected(path: string, why?: string): ApiError {
  return new ApiError('unexpectedParameter', `${path} is not an accepted parameter${why ? `: ${why}` : ''}`);
}

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** An object with no keys but `allowed`; the first other key is 1010, with `why` it is refused when known. */
export function readObject(
  value: unknown,
  path: string,
  allowed: readonly string[],
  why?: (key: string) => string | undefined,
): JsonObject {
  if (!isObject(value)) throw invalid(path, 'an object');
  for (const key of Object.keys(value)) if (!allowed.includes(key)) throw unexpected(child(path, key), why?.(key));
  return value;
}

/** An own property only: a body's "constructor" must never reach Object.prototype's. */
export function field(object: JsonObject, key: string): unknown {
  return Object.hasOwn(object, key) ? object[key] : undefined;
}

export function has(object: JsonObject, key: string): boolean {
  return Object.hasOwn(object, key);
}

export interface StringRule {
  /** In characters (code points, so an emoji counts once); default 1: an empty string says nothing. */
  min?: number;
  max?: number;
  pattern?: RegExp;
  /** What `pattern` means, for the details: "a date as YYYY-MM-DD". */
  expected?: string;
}

export function requiredString(object: JsonObject, path: string, key: string, rule: StringRule = {}): string {
  if (!has(object, key)) throw missing(child(path, key));
  return checkString(field(object, key), child(path, key), rule);
}

export function optionalString(
  object: JsonObject,
  path: string,
  key: string,
  rule: StringRule = {},
): string | undefined {
  return has(object, key) ? checkString(field(object, key), child(path, key), rule) : undefined;
}

function checkString(value: unknown, path: string, rule: StringRule): string {
  const min = rule.min ?? 1;
  const length = typeof value === 'string' ? [...value].length : -1;
  if (length < min || (rule.max !== undefined && length > rule.max)) throw invalid(path, describeLength(min, rule.max));
  if (rule.pattern && !rule.pattern.test(value as string))
    throw invalid(path, rule.expected ?? `a string matching ${String(rule.pattern)}`);
  return value as string;
}

function describeLength(min: number, max: number | undefined): string {
  if (max !== undefined) return `a string of ${min} to ${max} characters`;
  return min > 0 ? 'a non-empty string' : 'a string';
}

export function requiredEnum<T extends string>(object: JsonObject, path: string, key: string, values: readonly T[]): T {
  if (!has(object, key)) throw missing(child(path, key));
  return checkEnum(field(object, key), child(path, key), values);
}

export function optionalEnum<T extends string>(
  object: JsonObject,
  path: string,
  key: string,
  values: readonly T[],
): T | undefined {
  return has(object, key) ? checkEnum(field(object, key), child(path, key), values) : undefined;
}

function checkEnum<T extends string>(value: unknown, path: string, values: readonly T[]): T {
  if (!values.includes(value as T)) throw invalid(path, `one of ${values.map((v) => JSON.stringify(v)).join(', ')}`);
  return value as T;
}

export function requiredNumber(object: JsonObject, path: string, key: string, min: number, max: number): number {
  if (!has(object, key)) throw missing(child(path, key));
  const value = field(object, key);
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    throw invalid(child(path, key), `a number from ${min} to ${max}`);
  }
  return value;
}

/** An array of at least `min` items (default 1: `[]` carries nothing, so a required list refuses it). */
export function readArray(value: unknown, path: string, min = 1): unknown[] {
  if (!Array.isArray(value) || value.length < min) throw invalid(path, min > 0 ? 'a non-empty array' : 'an array');
  return value;
}

/** `source` without its undefined values; key order is kept, so an object literal fixes the output's order. */
export function compact(source: Record<string, unknown>): JsonObject {
  return Object.fromEntries(Object.entries(source).filter(([, value]) => value !== undefined));
}

/** wa_id form: E.164 digits without "+", no leading zero (a country code never starts with 0). */
export const WA_ID = /^[1-9]\d{6,14}$/;
export const WA_ID_EXPECTED = 'a wa_id: the number with its country code, digits only (e.g. 16315551234)';
