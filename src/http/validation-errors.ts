// Turns the first schema violation into the On-Prem code that names it: 1008 missing, 1010 not allowed, 1009 wrong
// type or value. `details` names the field as a JSON path (contacts[0], webhooks.url) and what was expected.
import type { FastifySchemaValidationError } from 'fastify';
import { ApiError } from '../errors.js';

type Context = string | undefined;

export function describeValidationError(errors: FastifySchemaValidationError[], context: Context, body: unknown): ApiError {
  const first = errors[0];
  if (!first) return new ApiError('invalidParameter', 'the request is not valid');
  const params = first.params as Record<string, unknown>;
  const at = (path: string) => where(context, path);
  if (context === 'body' && body === undefined && first.instancePath === '') {
    return new ApiError('missingParameter', 'the request needs a JSON body');
  }
  switch (first.keyword) {
    case 'required':
      return new ApiError('missingParameter', `missing required parameter ${at(join(first.instancePath, String(params.missingProperty)))}`);
    case 'additionalProperties':
      return new ApiError('unexpectedParameter', `${at(join(first.instancePath, String(params.additionalProperty)))} is not an accepted parameter`);
    case 'type':
      return new ApiError('invalidParameter', `${at(first.instancePath) || 'the body'} must be of type ${String(params.type)}`);
    case 'enum':
      return new ApiError('invalidParameter', `${at(first.instancePath)} must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`);
    default:
      return new ApiError('invalidParameter', `${at(first.instancePath) || 'the body'} ${first.message ?? 'is not valid'}`);
  }
}

function join(instancePath: string, property: string): string {
  return `${instancePath}/${property}`;
}

/** "/contacts/0/name" → "contacts[0].name", prefixed with where the value was read from. */
function where(context: Context, instancePath: string): string {
  const path = instancePath
    .split('/')
    .filter(Boolean)
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((acc, segment) => (/^\d+$/.test(segment) ? `${acc}[${segment}]` : acc ? `${acc}.${segment}` : segment), '');
  if (context === 'querystring' && path) return `query parameter ${path}`;
  if (context === 'params' && path) return `path parameter ${path}`;
  return path;
}
