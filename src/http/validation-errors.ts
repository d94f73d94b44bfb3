// Turns the first schema violation of a request into the On-Prem code that names it: 1008 missing, 1010 not
// allowed, 1009 wrong type or value. The wording lives in src/lib/schema-errors.ts, shared with the domain
// validators; here only what is HTTP: where the value was read from (body, query string, path) and a missing body.
import type { FastifySchemaValidationError } from 'fastify';
import { ApiError } from '../errors.js';
import { describeSchemaError } from '../lib/schema-errors.js';

type Context = string | undefined;

export function describeValidationError(
  errors: FastifySchemaValidationError[],
  context: Context,
  body: unknown,
): ApiError {
  const first = errors[0];
  if (!first) return new ApiError('invalidParameter', 'the request is not valid');
  if (context === 'body' && body === undefined && first.instancePath === '') {
    return new ApiError('missingParameter', 'the request needs a JSON body');
  }
  return describeSchemaError(first, (path) => where(context, path));
}

/** A JSON path prefixed with where the value was read from: query and path parameters say so. */
function where(context: Context, path: string): string {
  if (context === 'querystring' && path) return `query parameter ${path}`;
  if (context === 'params' && path) return `path parameter ${path}`;
  return path;
}
