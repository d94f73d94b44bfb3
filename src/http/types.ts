import type { Principal } from '../services/principal.js';

/**
 * Who may call a route:
 * - public: anyone (login checks its own Basic credentials);
 * - user: any logged-in user; admin: ROLE_ADMIN only;
 * - user-or-apikey: any logged-in user, or `Authorization: Apikey <WA_API_KEY>` (health, metrics, stats).
 */
export type AccessPolicy = 'public' | 'user' | 'admin' | 'user-or-apikey';

/** Which token bucket a route draws from; health and metrics are exempt (docs/api/README.md#limits). */
export type LimitClass = 'messages' | 'default' | 'exempt';

/**
 * What the audit line says: `event` (its message); `fields`: the names (never the values) of the body's fields,
 * e.g. which settings changed; `values`: body fields safe to log as they are (a username, a shard count).
 */
export interface AuditEntry {
  readonly event: string;
  readonly fields?: boolean;
  readonly values?: readonly string[];
}

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: AccessPolicy;
    limit?: LimitClass;
    /** `experimental` for OpenPrem's extensions outside /v1/. */
    apiStatus?: 'stable' | 'experimental';
    /** Needs a registered business number: 503 / 1011 while unregistered (src/http/hooks/registration-guard.ts). */
    needsRegistration?: boolean;
    /** An admin action: logged at info once it succeeded (src/http/hooks/audit-log.ts). */
    audit?: AuditEntry;
    /** Error statuses whose request line drops to debug: the service logs the event itself, with more to say. */
    failuresLoggedElsewhere?: readonly number[];
    /**
     * A response that lasts (the live event stream): admitted by the overload guard like any request, but holding no
     * in-flight slot nor share while it lasts; the route bounds how many there are (src/http/live/event-streams.ts).
     */
    longLived?: boolean;
  }
  interface FastifyRequest {
    principal: Principal | null;
  }
  /**
   * Read only by the OpenAPI document (src/http/docs), never at runtime, like @fastify/swagger's `summary`,
   * `description`, `consumes` (the types of a raw, unparsed body) and `produces` (non-JSON answers).
   */
  interface FastifySchema {
    /** Error statuses this route answers beyond those every route of its kind can (docs/error-responses.ts). */
    errorStatuses?: readonly number[];
    /** Statuses this route answers with no body at all, outside the envelope (the media download's 404). */
    noBodyStatuses?: readonly number[];
  }
}
