// No request value may carry the NUL character: PostgreSQL refuses it in text (SQLSTATE 22021), so a NUL that got
// through would surface as a database error (500) instead of a clear 400 - or, in a message accepted for sending,
// fail later in the network. Bodies are checked on their JSON text (an escaped \u0000, since a raw NUL is not
// valid JSON), path and query values once decoded.
import type { FastifyInstance } from 'fastify';
import { ApiError } from '../../errors.js';

// \u0000 preceded by an even number of backslashes (an odd number would make it the literal text "\u0000").
const ESCAPED_NUL = /(?:^|[^\\])(?:\\\\)*\\u0000/i;

export function containsEscapedNul(jsonText: string): boolean {
  return jsonText.includes('u0000') && ESCAPED_NUL.test(jsonText);
}

export function nulNotAccepted(where: string): ApiError {
  return new ApiError('invalidParameter', `${where} contains the NUL character (\\u0000), which no value accepts`);
}

export function registerNulGuard(app: FastifyInstance): void {
  app.addHook('preValidation', async (request) => {
    for (const [where, values] of [
      ['path parameter', request.params],
      ['query parameter', request.query],
    ] as const) {
      for (const [name, value] of Object.entries((values ?? {}) as Record<string, unknown>)) {
        if (typeof value === 'string' && value.includes('\u0000')) throw nulNotAccepted(`${where} ${name}`);
      }
    }
  });
}
