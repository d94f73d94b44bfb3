// Reading Meta's webhook objects. Every object is copied through an explicit allow-list of the keys On-Prem
// delivered: what Cloud adds (pricing.type, sticker.animated, referral.ctwa_clid, contacts[].user_id, …) is
// reported to `dropped` (logged at debug and counted) and never reaches the integration, which was written
// against On-Prem's shapes.
import { ERROR_TITLES, type ErrorCode } from '../../../errors.js';
import { describeCloudError, translateCloudCode } from '../error-map.js';

export type JsonObject = Record<string, unknown>;

/** Told of each Cloud key left out of a callback, as `<object>.<key>` (message.referral.ctwa_clid). */
export type DroppedField = (field: string) => void;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function objectsIn(value: unknown): JsonObject[] {
  return Array.isArray(value) ? value.filter(isObject) : [];
}

export function stringOf(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** The keys of `source` in `allowed`, in the source's order; any other key goes to `dropped` as `where.key`. */
export function pick(source: JsonObject, allowed: readonly string[], where: string, dropped: DroppedField): JsonObject {
  const copy: JsonObject = {};
  for (const [key, value] of Object.entries(source)) {
    if (allowed.includes(key)) copy[key] = value;
    else dropped(`${where}.${key}`);
  }
  return copy;
}

export interface OnPremError {
  code: ErrorCode;
  title: string;
  details: string;
}

/**
 * Cloud's errors ({code, title, message, error_data: {details}, href}) as On-Prem wrote them ({code, title,
 * details}): the code translated to its asynchronous On-Prem form, Meta's own code and words kept in `details`.
 */
export function translateCloudErrors(errors: unknown): OnPremError[] {
  return objectsIn(errors).flatMap((error) => {
    if (typeof error.code !== 'number') return [];
    const code = translateCloudCode(error.code).async;
    const errorData = isObject(error.error_data) ? error.error_data : {};
    const details = describeCloudError({
      code: error.code,
      message: stringOf(error.message) ?? stringOf(error.title),
      details: stringOf(errorData.details),
    });
    return [{ code, title: ERROR_TITLES[code], details }];
  });
}
