// One line per request, written when the answer has left: a failed answer carries the WhatsApp error code, title
// and details it was given (and, for a 500, the cause with its stack), so that the log alone says what a client
// was told. Levels: 2xx/3xx at debug (a line per request costs throughput, see bench/README.md); 4xx at info (a
// client's mistake, worth seeing, nothing to fix here); 503 at warn (a deliberate refusal with Retry-After:
// shutting down, overloaded, unregistered, database or Cloud API unreachable; a database outage and a refused
// Cloud token also have their own line where they start); any other 5xx at error. A route whose service logs its
// failures itself (login) lists their statuses in `failuresLoggedElsewhere`: those lines drop to debug. Neither
// body nor query string is logged: both may carry secrets.
//
// Refusals under load (429 rate limited, 503 overloaded or unavailable) come in floods, and anyone can start one:
// ~190 anonymous requests/s answered 429 were ~190 info lines/s. They are sampled: at most one line per status and
// code every REFUSAL_WINDOW_MS, carrying how many like it were left out since the last one (`alsoRefused`), so the
// log still says that a flood happened, how large, and when it ended.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import type { ApiError } from '../../errors.js';
import type { Clock } from '../../lib/clock.js';
import { routeConfig } from '../route-config.js';

/** 10 s: a flood costs at most 6 lines a minute per kind of refusal, and a short one still shows within seconds. */
export const REFUSAL_WINDOW_MS = 10_000;

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

/** Answers whether a refusal of this kind is logged now and, if so, how many were left out before it. */
function createRefusalSampler(clock: Clock): (kind: string) => number | null {
  // Keyed by status and WhatsApp code: a closed set of a few entries, so the map stays small.
  const windows = new Map<string, { until: number; leftOut: number }>();
  return (kind) => {
    const now = clock.now();
    const window = windows.get(kind);
    if (window && now < window.until) {
      window.leftOut += 1;
      return null;
    }
    windows.set(kind, { until: now + REFUSAL_WINDOW_MS, leftOut: 0 });
    return window?.leftOut ?? 0;
  };
}

export function registerRequestLog(app: FastifyInstance, clock: Clock): void {
  const sampleRefusal = createRefusalSampler(clock);
  app.addHook('onResponse', (request, reply, done) => {
    logAnswer(request, reply.statusCode, reply.elapsedTime);
    done();
  });

  function logAnswer(request: FastifyRequest, status: number, elapsedMs: number): void {
    // At the default level a successful request costs this one comparison.
    if (status < 400 && !(request.log as Logger).isLevelEnabled('debug')) return;
    const line = {
      method: request.method,
      url: request.url.split('?')[0],
      status,
      ms: Math.round(elapsedMs),
      ...(request.principal?.kind === 'user' ? { user: request.principal.username } : {}),
    };
    if (status < 400) {
      request.log.debug(line, 'request answered');
      return;
    }
    const failure = failures.get(request);
    const error = failure?.error.toBody();
    const fields = {
      ...line,
      ip: request.ip,
      ...(error ? { code: error.code, title: error.title, details: error.details } : {}),
      ...(failure?.cause !== undefined ? { err: failure.cause } : {}),
    };
    const quiet = routeConfig(request).failuresLoggedElsewhere?.includes(status) === true;
    const level = quiet ? 'debug' : status < 500 ? 'info' : status === 503 ? 'warn' : 'error';
    if (!quiet && (status === 429 || status === 503)) {
      const leftOut = sampleRefusal(`${status}:${error?.code ?? ''}`);
      if (leftOut === null) return;
      if (leftOut > 0) Object.assign(fields, { alsoRefused: leftOut });
    }
    request.log[level](fields, 'request failed');
  }
}
