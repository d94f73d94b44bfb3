// Resolves the caller of every request from its Authorization header and enforces the route's access policy
// (docs/api/README.md#authentication-and-roles). Runs before the body is read, so unauthenticated bodies cost nothing.
// Each request's rate token is spent here too, once the caller is known: from the route's buckets for an
// authenticated caller, from the anonymous ones for a public route or failed credentials (rate-limit.ts).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ApiError } from '../../errors.js';
import { constantTimeEqual } from '../../lib/secrets.js';
import type { Principal } from '../../services/principal.js';
import type { TokenAuthenticator } from '../../services/token-authenticator.js';
import type { AccessPolicy } from '../types.js';
import type { RateLimiter } from './rate-limit.js';

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

  async function resolve(request: FastifyRequest, access: Exclude<AccessPolicy, 'public'>): Promise<Principal> {
    const header = request.headers.authorization;
    if (!header) throw new ApiError('unauthenticated', 'missing Authorization header');
    const space = header.indexOf(' ');
    const scheme = (space < 0 ? header : header.slice(0, space)).toLowerCase();
    const credential = space < 0 ? '' : header.slice(space + 1).trim();
    if (scheme === 'bearer' && credential) {
      const principal = await authenticator.authenticate(credential);
      // Same code and status whatever the reason; details say expired or revoked when this node knows it.
      if (principal.kind === 'refused') throw new ApiError('unauthenticated', principal.details);
      return principal;
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

  app.addHook('onRequest', async (request) => {
    if (request.is404) return;
    // Routes declare their policy; one that forgot to is admin-only rather than open.
    const access = request.routeOptions.config.access ?? 'admin';
    if (access === 'public') return limiter.admit(request, null);
    let principal: Principal;
    try {
      principal = await resolve(request, access);
    } catch (error) {
      // A flood of bad credentials is refused with 429 once its buckets are empty, like any anonymous traffic.
      // A database failure is not the caller's doing and keeps its own answer.
      if (error instanceof ApiError) limiter.admit(request, null);
      throw error;
    }
    limiter.admit(request, principal);
    if (access === 'admin' && !(principal.kind === 'user' && principal.role === 'ROLE_ADMIN')) {
      throw new ApiError('forbidden', 'this endpoint needs the ROLE_ADMIN role');
    }
    request.principal = principal;
  });
}

/** The caller of a route whose policy is not public: set by the hook above before any handler runs. */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new Error('route without authentication asked for its principal');
  return request.principal;
}
