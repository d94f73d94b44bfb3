// Resolves the caller of every request from its Authorization header and enforces the route's access policy
// (docs/api/README.md#authentication-and-roles). Runs before the body is read, so unauthenticated bodies cost nothing.
// Each request's rate token is spent here too, once the caller is known: from the route's buckets for an
// authenticated caller, from the anonymous ones for a public route or failed credentials (rate-limit.ts).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ApiError } from '../../errors.js';
import { constantTimeEqual } from '../../lib/secrets.js';
import type { Principal } from '../../services/principal.js';
import type { TokenAuthenticator, TokenRefusal } from '../../services/token-authenticator.js';
import type { AccessPolicy } from '../types.js';
import type { RateLimiter } from './rate-limit.js';
import { routeConfig } from '../route-config.js';

export interface AuthenticateOptions {
  authenticator: TokenAuthenticator;
  apiKey: string | null;
  limiter: RateLimiter;
}

export function registerAuthentication(
  app: FastifyInstance,
  { authenticator, apiKey, limiter }: AuthenticateOptions,
): void {
  app.decorateRequest('principal', null);

  /** The caller, or a promise of the token check's verdict for a bearer token (it may read the database). */
  function resolve(
    request: FastifyRequest,
    access: Exclude<AccessPolicy, 'public'>,
  ): Principal | Promise<Principal | TokenRefusal> {
    const header = request.headers.authorization;
    if (!header) throw new ApiError('unauthenticated', 'missing Authorization header');
    const space = header.indexOf(' ');
    const scheme = (space < 0 ? header : header.slice(0, space)).toLowerCase();
    const credential = space < 0 ? '' : header.slice(space + 1).trim();
    if (scheme === 'bearer' && credential) {
      return authenticator.authenticate(credential);
    }
    if (scheme === 'apikey') {
      if (access !== 'user-or-apikey')
        throw new ApiError('unauthenticated', 'the API key is accepted only on health, metrics and stats');
      if (apiKey === null || !constantTimeEqual(credential, apiKey))
        throw new ApiError('unauthenticated', 'Invalid credentials.');
      return { kind: 'apikey' };
    }
    throw new ApiError('unauthenticated', 'expected Authorization: Bearer <token>');
  }

  /** Spends the caller's rate token and checks its role: the refusal, or undefined once admitted. */
  function admit(request: FastifyRequest, access: AccessPolicy, principal: Principal): Error | undefined {
    try {
      limiter.admit(request, principal);
    } catch (limited) {
      return limited as Error;
    }
    if (access === 'admin' && !(principal.kind === 'user' && principal.role === 'ROLE_ADMIN')) {
      return new ApiError('forbidden', 'this endpoint needs the ROLE_ADMIN role');
    }
    request.principal = principal;
    return undefined;
  }

  /** What failed credentials are answered with: their refusal, or 429 once the anonymous buckets are empty. */
  function refusal(request: FastifyRequest, error: unknown): Error | undefined {
    // A flood of bad credentials is refused with 429 once its buckets are empty, like any anonymous traffic.
    // A database failure is not the caller's doing and keeps its own answer.
    if (!(error instanceof ApiError)) return error as Error;
    return admitAnonymous(request) ?? error;
  }

  function admitAnonymous(request: FastifyRequest): Error | undefined {
    try {
      limiter.admit(request, null);
    } catch (limited) {
      return limited as Error;
    }
    return undefined;
  }

  // A done-callback hook: one promise for a bearer token (the authenticator's), none for a public route or an API
  // key. done() is called outside every try: what runs after it answers its own errors.
  app.addHook('onRequest', (request, _reply, done) => {
    if (request.is404) return done();
    // Routes declare their policy; one that forgot to is admin-only rather than open.
    const access = routeConfig(request).access ?? 'admin';
    if (access === 'public') return done(admitAnonymous(request));
    let resolved: Principal | Promise<Principal | TokenRefusal>;
    try {
      resolved = resolve(request, access);
    } catch (error) {
      return done(refusal(request, error));
    }
    if (!(resolved instanceof Promise)) return done(admit(request, access, resolved));
    resolved.then(
      (verdict) =>
        done(
          verdict.kind === 'refused'
            ? // Same code and status whatever the reason; details say expired or revoked when this node knows it.
              refusal(request, new ApiError('unauthenticated', verdict.details))
            : admit(request, access, verdict),
        ),
      (error: unknown) => done(refusal(request, error)),
    );
  });
}

/** The caller of a route whose policy is not public: set by the hook above before any handler runs. */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new Error('route without authentication asked for its principal');
  return request.principal;
}
