// JSON-schema fragments shared by the routes. Schemas both validate requests and serialise responses.

const metaSchema = {
  type: 'object',
  properties: { api_status: { type: 'string' }, version: { type: 'string' } },
} as const;

/** A response schema with the `meta` object every JSON response carries. */
export function envelope<P extends Record<string, unknown>>(properties: P) {
  return { type: 'object', properties: { ...properties, meta: metaSchema } } as const;
}

export const emptyEnvelope = envelope({});

/** Path parameter `username`. */
export const usernameParams = {
  type: 'object',
  required: ['username'],
  properties: { username: { type: 'string', minLength: 1, maxLength: 256 } },
} as const;

/**
 * A schema with examples for the OpenAPI document (`examples` is an annotation: Ajv and the serialiser ignore it).
 * Response examples get the `meta` every answer carries, at the default API level.
 */
export function withExamples<S extends object>(schema: S, ...examples: unknown[]) {
  return { ...schema, examples };
}

export function withResponseExample<S extends object>(schema: S, example: Record<string, unknown>) {
  return withExamples(schema, { ...example, meta: { api_status: 'stable', version: 'v2.53.0' } });
}
