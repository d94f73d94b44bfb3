// The error answers of the document: one envelope schema, one response per HTTP status the catalogue (errors.ts)
// can answer, listing its WhatsApp codes, and the rule that says which of them an operation lists. All of it is
// document-only: the live routes keep no error schemas, so errors serialise exactly as the error handler sends them.
import { STATUS_CODES } from 'node:http';
import { ApiError, ERROR_CATALOGUE, ERROR_TITLES, type ErrorCode, type ErrorKind } from '../../errors.js';
import type { AccessPolicy, LimitClass } from '../types.js';

export const ERROR_ENVELOPE_SCHEMA = 'ErrorEnvelope';

const metaSchema = {
  type: 'object',
  properties: {
    api_status: { type: 'string', enum: ['stable', 'experimental'] },
    version: { type: 'string', description: 'The emulated On-Premises API level (WA_API_LEVEL).' },
  },
};

export const errorEnvelopeSchema = {
  type: 'object',
  description:
    'Every error, whatever the endpoint: one entry in `errors`, with the WhatsApp code, its title and a `details` naming what was wrong.',
  required: ['errors', 'meta'],
  properties: {
    errors: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        required: ['code', 'title'],
        properties: {
          code: {
            type: 'integer',
            description:
              'The WhatsApp error code (1000-series, or 2000-series for templates and interactive messages).',
          },
          title: { type: 'string' },
          details: { type: 'string' },
          href: { type: 'string' },
        },
      },
    },
    meta: metaSchema,
  },
};

// The example of each status: its most common cause, as the server words it.
const TYPICAL: Partial<Record<number, [ErrorKind, string]>> = {
  400: ['invalidParameter', 'contacts must be of type array'],
  401: ['unauthenticated', 'Invalid credentials.'],
  403: ['forbidden', 'this endpoint needs the ROLE_ADMIN role'],
  404: ['notFound', 'media f043afd0-f0ae-4b9c-ab3d-696fb4c8cd68 not found'],
  408: ['requestTimeout', 'no part of the request body arrived for 10000 ms'],
  409: ['alreadyExists', 'the resource already exists'],
  413: ['bodyTooLarge', 'the request body is larger than this endpoint accepts'],
  429: ['tooManyRequests', 'rate limit of 20 requests/s (burst 60) exceeded'],
  500: ['generic', 'an internal error occurred (request 5f0c3b0e-6f7e-4a8c-9d3b-2f1e0a9b8c7d)'],
  503: ['overloaded', '512 requests in flight, the bound is 512'],
};

/** The statuses the catalogue answers, each with its codes: 400 → [1001, 1002, 1008, …]. */
function codesByStatus(): Map<number, ErrorCode[]> {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const { code, status } of Object.values(ERROR_CATALOGUE)) {
    const codes = byStatus.get(status) ?? [];
    if (!codes.includes(code)) codes.push(code);
    byStatus.set(status, codes);
  }
  return byStatus;
}

/** The component name of a status's response: 400 → BadRequest, 413 → PayloadTooLarge. */
export function errorResponseName(status: number): string {
  return (STATUS_CODES[status] ?? `Status${status}`).replace(/[^A-Za-z0-9]/g, '');
}

/** `components.responses`: one per status, its description listing the codes, its example a real error body. */
export function errorResponses(apiLevel: string): Record<string, unknown> {
  const responses: Record<string, unknown> = {};
  for (const [status, codes] of [...codesByStatus()].sort(([a], [b]) => a - b)) {
    const [kind, details] = TYPICAL[status] ?? [];
    const example = kind
      ? { errors: [new ApiError(kind, details).toBody()], meta: { api_status: 'stable', version: apiLevel } }
      : undefined;
    const retryable = status === 429 || status === 503;
    responses[errorResponseName(status)] = {
      description: `${STATUS_CODES[status]}: ${codes
        .sort((a, b) => a - b)
        .map((code) => `${code} ${ERROR_TITLES[code]}`)
        .join('; ')}.`,
      ...(retryable
        ? {
            headers: {
              'Retry-After': {
                description: 'Seconds to wait before retrying.',
                schema: { type: 'integer', minimum: 1 },
              },
            },
          }
        : {}),
      content: {
        'application/json': {
          schema: { $ref: `#/components/schemas/${ERROR_ENVELOPE_SCHEMA}` },
          ...(example ? { example } : {}),
        },
      },
    };
  }
  return responses;
}

/** What an operation's error statuses are decided from: facts of the route, not a list per route. */
export interface ErrorFacts {
  readonly access: AccessPolicy;
  readonly limit: LimitClass;
  /** It has a security requirement (every non-public route, and login with its Basic credentials). */
  readonly authenticated: boolean;
  readonly hasPathParams: boolean;
  readonly readsBody: boolean;
  /** Statuses the route itself declares beyond these rules (schema.errorStatuses). */
  readonly declared: readonly number[];
}

/**
 * The statuses an operation lists. Every request can be malformed (400: a bad header, a NUL in the URL), hit an
 * internal or database failure (500) or a node that is shutting down, overloaded or without its database (503).
 * Credentials can be refused (401), a role can be too low (403, admin routes), a path's resource can be missing
 * (404), a body can stall or be too large (408, 413), and every route that is not exempt has a rate limit (429).
 */
export function errorStatusesOf(facts: ErrorFacts): number[] {
  const statuses = new Set([400, 500, 503, ...facts.declared]);
  if (facts.authenticated) statuses.add(401);
  if (facts.access === 'admin') statuses.add(403);
  if (facts.hasPathParams) statuses.add(404);
  if (facts.readsBody) {
    statuses.add(408);
    statuses.add(413);
  }
  if (facts.limit !== 'exempt') statuses.add(429);
  return [...statuses].sort((a, b) => a - b);
}
