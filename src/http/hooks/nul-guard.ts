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
  app.addHook('preValidation', (request, _reply, done) => {
    const inPath = nulValueName(request.params);
    if (inPath !== null) return done(nulNotAccepted(`path parameter ${inPath}`));
    const inQuery = nulValueName(request.query);
    done(inQuery === null ? undefined : nulNotAccepted(`query parameter ${inQuery}`));
  });
}

/** The name of the first string value holding a NUL, or null; a loop rather than Object.entries, run per request. */
function nulValueName(values: unknown): string | null {
  if (typeof values !== 'object' || values === null) return null;
  const record = values as Record<string, unknown>;
  for (const name in record) {
    const value = record[name];
    if (typeof value === 'string' && value.includes('\u0000')) return name;
  }
  return null;
}
