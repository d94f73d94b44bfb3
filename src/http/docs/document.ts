// What @fastify/swagger cannot read from a route's schema, added when the document is made and never to the live
// routes (whose schemas validate requests and serialise answers): the tag, the security the route's access policy
// asks for, the error answers it can give, and the content types of raw bodies and non-JSON answers.
import { STATUS_CODES } from 'node:http';
import type { FastifySchema, RouteOptions } from 'fastify';
import { SCALAR_STRINGS_KEYWORD } from '../../lib/scalar-strings.js';
import type { AccessPolicy } from '../types.js';
import { errorResponseName, errorStatusesOf } from './error-responses.js';
import { tagOf } from './tags.js';

/** Carries each operation's error statuses from `describeRoute` to `finishDocument`, which replaces it. */
const ERRORS_KEY = 'x-openprem-error-statuses';

// The paths of the browser pages and of the document itself: not operations of the API.
const BROWSER_PAGES = ['/docs', '/console', '/openapi.json', '/openapi.yaml'];

/**
 * The one rule for what the document leaves out (test/http/openapi.test.ts states it too): routes that exist only
 * to refuse (the 405 answers of method-not-allowed.ts and the removed endpoints of legacy.removed.ts, which mark
 * themselves `schema.hide`), and the browser pages with their files. Everything else is an operation.
 */
function isLeftOut(url: string, schema: FastifySchema | undefined): boolean {
  return schema?.hide === true || BROWSER_PAGES.some((page) => url === page || url.startsWith(`${page}/`));
}

type Security = Array<Record<string, string[]>>;

const SECURITY: Record<AccessPolicy, Security> = {
  public: [],
  user: [{ bearer: [] }],
  admin: [{ bearer: [] }],
  'user-or-apikey': [{ bearer: [] }, { apikey: [] }],
};

const ACCESS_NOTES: Record<AccessPolicy, string> = {
  public: 'No authentication.',
  user: 'Any logged-in user (ROLE_USER or ROLE_ADMIN).',
  admin: 'ROLE_ADMIN only: a ROLE_USER token is refused with 403 / 1005.',
  'user-or-apikey': 'Any logged-in user, or `Authorization: Apikey <WA_API_KEY>`.',
};

interface TransformInput {
  schema: FastifySchema;
  url: string;
  route: RouteOptions;
}

/** @fastify/swagger's per-route `transform`: returns the schema the document is made from, a new object. */
export function describeRoute({ schema, url, route }: TransformInput): { schema: FastifySchema; url: string } {
  if (isLeftOut(url, schema)) return { schema: { ...schema, hide: true }, url };
  const config = route.config ?? {};
  const access = config.access ?? 'admin';
  const { consumes, produces, errorStatuses = [], noBodyStatuses = [], ...described } = schema ?? {};
  const method = [route.method].flat()[0] ?? 'GET';
  const document: FastifySchema & Record<string, unknown> = {
    ...described,
    tags: [tagOf(url)],
    operationId: operationIdOf(method, url),
    security: described.security ?? SECURITY[access],
    description: [described.description, ...notesOf(config, described.security !== undefined)]
      .filter(Boolean)
      .join('\n\n'),
  };
  if (consumes && !described.body) document.body = { content: rawContent(consumes) };
  if (produces) document.response = withRawSuccess(described.response, produces);
  for (const status of noBodyStatuses) {
    document.response = {
      ...(document.response as object),
      [status]: { type: 'null', description: `${STATUS_CODES[status]}, with no body` },
    };
  }
  document[ERRORS_KEY] = errorStatusesOf({
    access,
    limit: config.limit ?? 'default',
    authenticated: (document.security?.length ?? 0) > 0,
    hasPathParams: url.includes(':'),
    readsBody: document.body !== undefined,
    declared: [...errorStatuses, ...noBodyStatuses],
  });
  return { schema: document, url };
}

/** What the access policy and the limits mean for the caller; a route with its own security (login) says it itself. */
function notesOf(config: NonNullable<RouteOptions['config']>, ownSecurity: boolean): string[] {
  const notes = ownSecurity ? [] : [`**Access:** ${ACCESS_NOTES[config.access ?? 'admin']}`];
  if (config.needsRegistration) notes.push('Needs a registered business number: 503 / 1011 until then.');
  if (config.limit === 'exempt') notes.push('Exempt from the rate and concurrency limits.');
  if (config.apiStatus === 'experimental')
    notes.push('OpenPrem extension: answers carry `meta.api_status` "experimental".');
  return notes;
}

/** GET /v1/media/:id → getV1MediaById: unique per method and path, stable across releases. */
function operationIdOf(method: string, url: string): string {
  const words = url
    .split('/')
    .filter(Boolean)
    .flatMap((segment) => {
      const parts = segment
        .replace(/^:/, '')
        .split(/[^A-Za-z0-9]+/)
        .filter(Boolean);
      return segment.startsWith(':') ? ['by', ...parts] : parts;
    });
  if (words.length === 0) words.push('root');
  return method.toLowerCase() + words.map((word) => word[0]!.toUpperCase() + word.slice(1)).join('');
}

/** The schema of a body or answer that is not JSON: text as a string, anything else as bytes. */
function rawMedia(type: string) {
  if (type === 'application/json') return { schema: { type: 'object' } };
  if (type.startsWith('text/')) return { schema: { type: 'string' } };
  return { schema: { type: 'string', format: 'binary' } };
}

function rawContent(types: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(types.map((type) => [type, rawMedia(type)]));
}

/** The success answer with its non-JSON types beside the JSON one (if any): `produces` applies to it alone. */
function withRawSuccess(response: unknown, produces: readonly string[]): Record<string, unknown> {
  const responses = { ...(response as Record<string, unknown> | undefined) };
  const status = Object.keys(responses).find((code) => code.startsWith('2')) ?? '200';
  const json = responses[status];
  responses[status] = {
    description: STATUS_CODES[Number(status)],
    content: { ...(json ? { 'application/json': { schema: json } } : {}), ...rawContent(produces) },
  };
  return responses;
}

interface OpenApiObject {
  paths?: Record<string, Record<string, unknown> | undefined>;
  [key: string]: unknown;
}

/**
 * @fastify/swagger's `transformObject`: each operation's error statuses become references to the shared error
 * responses, a success answer without a description gets its status text, and the Ajv keyword of
 * lib/scalar-strings.ts (valid in a schema, but an implementation detail) is taken out.
 */
export function finishDocument({ openapiObject }: { openapiObject: Partial<OpenApiObject> }): OpenApiObject {
  for (const pathItem of Object.values(openapiObject.paths ?? {})) {
    for (const operation of Object.values(pathItem ?? {}) as Array<Record<string, unknown>>) {
      const responses = (operation.responses ?? {}) as Record<string, { description?: string; $ref?: string }>;
      for (const [status, response] of Object.entries(responses)) {
        if (response.description === 'Default Response')
          response.description = STATUS_CODES[Number(status)] ?? 'Success';
      }
      // A status the route describes itself (an answer with no body) keeps its own description.
      for (const status of (operation[ERRORS_KEY] ?? []) as number[]) {
        responses[String(status)] ??= { $ref: `#/components/responses/${errorResponseName(status)}` };
      }
      delete operation[ERRORS_KEY];
      operation.responses = responses;
    }
  }
  removeKeyword(openapiObject, SCALAR_STRINGS_KEYWORD);
  return openapiObject as OpenApiObject;
}

/** Deletes `keyword` everywhere in the document, which @fastify/swagger built from copies of the route schemas. */
function removeKeyword(value: unknown, keyword: string): void {
  if (typeof value !== 'object' || value === null) return;
  if (!Array.isArray(value)) delete (value as Record<string, unknown>)[keyword];
  for (const child of Object.values(value)) removeKeyword(child, keyword);
}
