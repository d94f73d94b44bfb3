// One line per request, written when the answer has left: a failed answer carries the WhatsApp error code, title
// and details it was given (and, for a 500, the cause with its stack), so that the log alone says what a client
// was told. Levels: 2xx/3xx at debug (a line per request costs throughput, see bench/README.md); 4xx at info (a
// client's mistake, worth seeing, nothing to fix here); 503 at warn (a deliberate refusal with Retry-After:
// shutting down, overloaded, unregistered, database or Cloud API unreachable; a database outage and a refused
// Cloud token also have their own line where they start); any other 5xx at error. A route whose service logs its
// failures itself (login) lists their statuses in `failuresLoggedElsewhere`: those lines drop to debug. Neither
// body nor query string is logged: both may carry secrets.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import type { ApiError } from '../../errors.js';

interface Failure {
  readonly error: ApiError;
  /** What went wrong inside, for the 500s whose answer hides it. */
  readonly cause?: unknown;
}

const failures = new WeakMap<FastifyRequest, Failure>();

/** Called by the error handler for every error answer it sends (src/http/error-handler.ts). */
export function noteErrorAnswer(request: FastifyRequest, error: ApiError, cause?: unknown): void {
  failures.set(request, cause === undefined ? { error } : { error, cause });
}

export function registerRequestLog(app: FastifyInstance): void {
  app.addHook('onResponse', async (request, reply) => {
    const status = reply.statusCode;
    // At the default level a successful request costs this one comparison.
    if (status < 400 && !(request.log as Logger).isLevelEnabled('debug')) return;
    const line = {
      method: request.method,
      url: request.url.split('?')[0],
      status,
      ms: Math.round(reply.elapsedTime),
      ...(request.principal?.kind === 'user' ? { user: request.principal.username } : {}),
    };
    if (status < 400) {
      request.log.debug(line, 'request answered');
      return;
    }
    const failure = failures.get(request);
    const error = failure?.error.toBody();
    const fields = {
      ...line, ip: request.ip,
      ...(error ? { code: error.code, title: error.title, details: error.details } : {}),
      ...(failure?.cause !== undefined ? { err: failure.cause } : {}),
    };
    const quiet = request.routeOptions.config.failuresLoggedElsewhere?.includes(status) === true;
    const level = quiet ? 'debug' : status < 500 ? 'info' : status === 503 ? 'warn' : 'error';
    request.log[level](fields, 'request failed');
  });
}
