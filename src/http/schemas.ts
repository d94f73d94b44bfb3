// JSON-schema fragments shared by the routes. Schemas both validate requests and serialise responses.

export const metaSchema = {
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
