// buildApp: the Fastify instance with its hooks, error handler and every route. It wires; it decides nothing.
import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import Fastify, { LogController, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { Logger } from 'pino';
import { ApiError } from './errors.js';
import { registerBodyParsers } from './http/body-parsers.js';
import { registerClientAbortCheck } from './http/client-abort.js';
import { manageConnections } from './http/connections.js';
import { createPreRoutingErrorHandlers, registerErrorHandler } from './http/error-handler.js';
import { registerAuthentication } from './http/hooks/authenticate.js';
import { registerOverloadGuard, type OverloadGuard } from './http/hooks/overload-guard.js';
import { createRateLimiter } from './http/hooks/rate-limit.js';
import { registerBodyTimeout } from './http/hooks/body-timeout.js';
import { applyConnectionLimits } from './http/connection-limits.js';
import { registerRegistrationGuard } from './http/hooks/registration-guard.js';
import { registerNulGuard } from './http/hooks/nul-guard.js';
import { registerProtocolChecks } from './http/hooks/protocol-checks.js';
import { registerDurableReplies } from './http/hooks/durable-replies.js';
import { registerAuditLog } from './http/hooks/audit-log.js';
import { registerRequestLog } from './http/hooks/request-log.js';
import { registerResponseDecoration } from './http/hooks/response-decoration.js';
import { registerMethodNotAllowed } from './http/method-not-allowed.js';
import { lazyChildLogger } from './http/request-logger.js';
import { decorateRouteConfig } from './http/route-config.js';
import { registerOpenApi } from './http/docs/openapi.js';
import { registerSwaggerUi } from './http/docs/swagger-ui.js';
import { createEventStreams, type EventStreams } from './http/live/event-streams.js';
import { registerRoutes } from './http/routes/index.js';
import type { RouteDeps } from './http/routes/deps.js';
import './http/types.js';
import { addScalarStrings, withScalarStrings } from './lib/scalar-strings.js';
import type { TokenAuthenticator } from './services/token-authenticator.js';

export interface AppDeps extends RouteDeps {
  authenticator: TokenAuthenticator;
  /** Resolves once what was committed is on stable storage (src/db/database.ts): a write's answer waits for it. */
  durable(): Promise<void>;
  logger: Logger;
  /** The key and chain to serve HTTPS with (src/tls/server-tls.ts); null or absent for plain HTTP. */
  tls?: { key: string; cert: string } | null;
}

export interface App {
  readonly server: FastifyInstance;
  readonly overload: OverloadGuard;
  /** The open GET /x/v1/events streams (tests ping them: the timer does every 15 s). */
  readonly events: EventStreams;
}

export async function buildApp(deps: AppDeps): Promise<App> {
  const { config } = deps;
  const preRouting = createPreRoutingErrorHandlers(config.apiLevel);
  const options: FastifyServerOptions = {
    frameworkErrors: preRouting.frameworkErrors,
    clientErrorHandler: preRouting.clientErrorHandler,
    loggerInstance: deps.logger,
    bodyLimit: config.bodyLimitBytes,
    // Fastify's two lines per request are replaced by one of our own, with the error code (hooks/request-log.ts).
    logController: new LogController({ disableRequestLogging: true }),
    childLoggerFactory: lazyChildLogger,
    // 512, not Fastify's 100: a template name may be 512 characters and is a segment of /sandbox/templates/…;
    // longer segments are still refused before routing (400 / 1025), shorter ones meet each route's own schema.
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 512 },
    requestIdHeader: 'x-request-id',
    trustProxy: config.trustProxy,
    genReqId: () => randomUUID(),
    // Our own onRequest check answers 503 / 1011 in the envelope while closing, instead of Fastify's bare 503.
    return503OnClosing: false,
    ajv: {
      customOptions: { removeAdditional: false, coerceTypes: false, useDefaults: false, allErrors: false },
      plugins: [addScalarStrings],
    },
  };
  // A request without Host reaches registerProtocolChecks, which answers it in the envelope instead of Node's bare 400.
  const serverOptions = { requireHostHeader: false };
  const server = (deps.tls
    ? Fastify({ ...options, https: { ...deps.tls, ...serverOptions } } as FastifyServerOptions)
    : Fastify({ ...options, http: serverOptions })) as unknown as FastifyInstance;

  // Early answers close their connection gently, and a shutdown closes the connections with nothing in flight at
  // once, including those still receiving the body of an answered request.
  const connections = manageConnections(server, Boolean(deps.tls));
  let closing = false;
  server.addHook('preClose', async () => {
    closing = true;
    connections.closeQuiet();
  });
  // Every per-request hook is synchronous (done-callback style) unless it must wait: an async hook costs a promise
  // and a microtask turn per request. With ~14 made synchronous and the lazy request logger, an authenticated
  // GET /v1/health took 68 µs of CPU instead of 85 (least of 6 interleaved runs; hello-world 30).
  server.addHook('onRequest', (_request, _reply, done) => {
    done(closing ? new ApiError('serviceNotReady', 'this node is shutting down; retry on another', 1) : undefined);
  });
  // Close each keep-alive connection as its last response leaves: close() swept idle sockets only once, so a
  // socket that goes idle later would otherwise hold the shutdown open until the keep-alive timeout.
  server.addHook('onSend', (_request, reply, payload, done) => {
    if (closing) reply.header('connection', 'close');
    done(null, payload);
  });

  // Numbers and booleans written as strings ("4", "false") are read as such in every route body, by one rule.
  server.addHook('onRoute', (route) => {
    if (route.schema?.body) route.schema.body = withScalarStrings(route.schema.body);
  });
  decorateRouteConfig(server);
  registerBodyParsers(server);
  registerErrorHandler(server);
  registerResponseDecoration(server, deps);
  registerRequestLog(server, deps.clock);
  registerAuditLog(server);
  registerProtocolChecks(server);
  registerClientAbortCheck(server);
  // Order matters: refuse overload (and an address over its share) first; then authenticate (a cached token check)
  // and spend a rate token from the caller's own buckets, so anonymous floods cannot drain authenticated callers'.
  const overload = registerOverloadGuard(server, config.overload, deps.metrics);
  const limiter = createRateLimiter(config.rateLimits, deps.clock, deps.metrics);
  registerAuthentication(server, { authenticator: deps.authenticator, apiKey: config.apiKey, limiter });
  overload.registerPrincipalShare(server);
  registerBodyTimeout(server, config.connectionLimits.bodyIdleTimeoutMs);
  applyConnectionLimits(server.server as Server, config.connectionLimits);
  // After authentication, so that a caller without the right to a route learns nothing about the registration.
  registerRegistrationGuard(server, deps.gateway);
  registerNulGuard(server);
  registerDurableReplies(server, deps);
  server.addHook('onClose', async () => overload.stop());

  const events = createEventStreams({
    changes: deps.live.changes,
    deliveries: deps.live.deliveries,
    clock: deps.clock,
    stillValid: async (token) => (await deps.authenticator.authenticate(token)).kind !== 'refused',
    onCountChange: (open) => deps.metrics.liveStreams.set(open),
  });
  // After the hook above: the connections are told to close as their answers end, and the streams end now.
  server.addHook('preClose', async () => events.closeAll());

  const routes = registerMethodNotAllowed(server);
  // Before any route: the document is made from the routes @fastify/swagger sees being added.
  await registerOpenApi(server, deps);
  registerSwaggerUi(server, deps);
  registerRoutes(server, deps, events);
  routes.addMethodNotAllowedRoutes();
  await server.ready();
  return { server, overload, events };
}
