// What every message family (text, media, interactive, ...) provides to the validator, and what its checks find.
import { ApiError } from '../../../errors.js';
import type { Schema } from './schema.js';

export type JsonObject = Record<string, unknown>;

/** The parameter counts of a template (or hsm) send, for the sandbox's check against its template registry. */
export interface TemplateSummary {
  namespace: string;
  name: string;
  languageCode: string;
  languagePolicy: 'deterministic' | 'fallback';
  parameters: { header: number; body: number; buttons: { index: number; subType: string; count: number }[] };
}

/** Filled by a family's check: media ids to look up, the template to match. */
export interface Findings {
  mediaIds: string[];
  template: TemplateSummary | null;
}

export interface PayloadFamily {
  /** The schema of the payload named after the type (for contacts: the array). */
  schema: Schema;
  /** Rewrites, in place and before the schema runs, shapes Meta's own collection sends into the canonical one. */
  normalise?(payload: unknown): void;
  /** The rules a schema cannot state; runs only on a payload the schema accepted, so shapes can be trusted. */
  check?(payload: unknown, findings: Findings): void;
}

// The explicit rules word their errors as src/lib/schema-errors.ts does.

export function missing(path: string, why?: string): ApiError {
  return new ApiError('missingParameter', `missing required parameter ${path}${why ? `: ${why}` : ''}`);
}

export function invalid(path: string, expected: string): ApiError {
  return new ApiError('invalidParameter', `${path} must ${expected}`);
}

export function has(object: JsonObject, key: string): boolean {
  return Object.hasOwn(object, key);
}
