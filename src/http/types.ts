import type { Principal } from '../services/principal.js';

/**
 * Who may call a route:
 * - public: anyone (login checks its own Basic credentials);
 * - user: any logged-in user; admin: ROLE_ADMIN only;
 * - user-or-apikey: any logged-in user, or `Authorization: Apikey <WA_API_KEY>` (health, metrics, stats).
 */
export type AccessPolicy = 'public' | 'user' | 'admin' | 'user-or-apikey';

/** Which token bucket a route draws from; health and metrics are exempt (decisions "Rate and concurrency limits"). */
export type LimitClass = 'messages' | 'default' | 'exempt';

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: AccessPolicy;
    limit?: LimitClass;
    /** `experimental` for OpenPrem's extensions outside /v1/. */
    apiStatus?: 'stable' | 'experimental';
    /** Needs a registered business number: 503 / 1011 while unregistered (src/http/hooks/registration-guard.ts). */
    needsRegistration?: boolean;
  }
  interface FastifyRequest {
    principal: Principal | null;
  }
}
