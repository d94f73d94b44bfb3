// A client that goes away before its request has been read fails the request stream with Node's ECONNRESET
// "aborted". A PostgreSQL connection reset carries the same code, and src/lib/database-errors.ts rightly counts that as the
// database being unreachable, so the code alone cannot tell them apart: where the error came from can. Node
// destroys the request with that error, so the request's own stream holds it (`errored`); a database error never
// comes from there. Without this, anyone could fill the log with false "database unavailable" alarms.
import type { IncomingMessage } from 'node:http';
import type { FastifyInstance } from 'fastify';

/** Whether `error` is the request stream's own failure (or wraps it): the client stopped sending, nothing else. */
export function isClientAbort(error: unknown, request: IncomingMessage): boolean {
  const streamError = request.errored;
  if (!streamError) return false;
  return error === streamError || (error instanceof Error && error.cause === streamError);
}

/**
 * A client that leaves while an earlier hook awaits (authentication may read the database) destroys the request
 * before the body parser listens to it, and the parser then waits for events that never come: the request would end
 * with no answer and no log line. This hands the stream's error to the error handler instead, as if read from it.
 */
export function registerClientAbortCheck(app: FastifyInstance): void {
  app.addHook('preParsing', (request, _reply, payload, done) => {
    if (request.raw.errored) return done(request.raw.errored);
    done(null, payload);
  });
}
