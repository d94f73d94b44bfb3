// Sorts database failures into "unreachable or busy, try again" (503 / 1023) and "failed" (500 / 1023). In lib/,
// not db/: it reads only the error's own fields, and the HTTP error handler, which may not import db/, needs it.

const UNREACHABLE_NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
]);
// SQLSTATE class 08 (connection exception), 57P0x (server shutting down or starting), 53300 (too many connections),
// 57014 (cancelled: WA_DB_STATEMENT_TIMEOUT_MS ran out, a statement stuck behind a lock; the retry usually passes).
const UNREACHABLE_SQLSTATE = /^(08...|57P0[123]|53300|57014)$/;

export type DatabaseFailure = 'unavailable' | 'failed';

export function classifyDatabaseError(error: unknown): DatabaseFailure | null {
  if (typeof error !== 'object' || error === null) return null;
  const { code, name, message } = error as { code?: unknown; name?: unknown; message?: unknown };
  const text = typeof message === 'string' ? message : '';
  // Raised by the circuit breaker (pg-breaker.ts) while the server is known to be down.
  if (name === 'DatabaseUnavailableError') return 'unavailable';
  if (name === 'SqliteError') return code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED' ? 'unavailable' : 'failed';
  if (typeof code === 'string' && UNREACHABLE_NETWORK_CODES.has(code)) return 'unavailable';
  if (
    /Connection terminated|Query read timeout|timeout exceeded when trying to connect|Client has encountered a connection error/.test(
      text,
    )
  ) {
    return 'unavailable';
  }
  // pg's DatabaseError carries a five-character SQLSTATE and a severity.
  if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) && 'severity' in error) {
    return UNREACHABLE_SQLSTATE.test(code) ? 'unavailable' : 'failed';
  }
  return null;
}
