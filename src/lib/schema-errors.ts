// Turns one JSON-schema violation (an Ajv error, as Fastify or the domain validators report it) into the On-Prem
// code that names it: 1008 missing, 1010 not allowed, 1009 wrong type or value. `details` names the field as a JSON
// path (contacts[0], webhooks.url) and what was expected. Shared by the HTTP layer (src/http/validation-errors.ts)
// and the domain validators (src/services/messages/validation), so a client sees one wording from both.
import { ApiError } from '../errors.js';

/** The fields of an Ajv ErrorObject that the wording needs (Fastify's FastifySchemaValidationError has them too). */
export interface SchemaErrorLike {
  instancePath: string;
  keyword: string;
  params: Record<string, unknown>;
  message?: string;
}

/** Renders a JSON path (`contacts[0].name`) as the details should show it: the HTTP layer prefixes query/path. */
export type PathRenderer = (path: string) => string;

const asIs: PathRenderer = (path) => path;

export function describeSchemaError(error: SchemaErrorLike, render: PathRenderer = asIs): ApiError {
  const params = error.params;
  const at = (instancePath: string) => render(jsonPath(instancePath));
  switch (error.keyword) {
    case 'required':
      return new ApiError(
        'missingParameter',
        `missing required parameter ${at(join(error.instancePath, String(params.missingProperty)))}`,
      );
    case 'additionalProperties':
      return new ApiError(
        'unexpectedParameter',
        `${at(join(error.instancePath, String(params.additionalProperty)))} is not an accepted parameter`,
      );
    case 'type':
      return new ApiError(
        'invalidParameter',
        `${at(error.instancePath) || 'the body'} must be of type ${String(params.type)}`,
      );
    case 'enum':
      return new ApiError(
        'invalidParameter',
        `${at(error.instancePath)} must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`,
      );
    default:
      return new ApiError(
        'invalidParameter',
        `${at(error.instancePath) || 'the body'} ${error.message ?? 'is not valid'}`,
      );
  }
}

/** A JSON pointer's child: "/contacts/0" + "name". */
export function join(instancePath: string, property: string): string {
  return `${instancePath}/${property}`;
}

/** "/contacts/0/name" → "contacts[0].name" (a JSON pointer as the JSON path a client reads). */
export function jsonPath(instancePath: string): string {
  return instancePath
    .split('/')
    .filter(Boolean)
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((acc, segment) => (/^\d+$/.test(segment) ? `${acc}[${segment}]` : acc ? `${acc}.${segment}` : segment), '');
}
