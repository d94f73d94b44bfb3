import { ApiError, type ErrorKind } from '../errors.js';

/** Expected failures are values; the HTTP edge turns a failed Result into the error envelope. */
export type Result<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: ApiError };

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function fail<T = never>(kind: ErrorKind, details?: string, retryAfterSeconds?: number): Result<T> {
  return { ok: false, error: new ApiError(kind, details, retryAfterSeconds) };
}

/** At the edge: the value, or the ApiError thrown for the error handler to render. */
export function unwrap<T>(result: Result<T>): T {
  if (!result.ok) throw result.error;
  return result.value;
}
