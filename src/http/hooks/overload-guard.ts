// Refuses work at once (503 / 1016 with Retry-After) instead of queueing it when the node is saturated: too many
// requests in flight, or an event loop lagging past its bound. A balancer can then send the request elsewhere.
//
// No one client may hold more than its share of the in-flight slots (WA_MAX_IN_FLIGHT_PER_CLIENT, a quarter by
// default): neither one address (counted on arrival, before the token check may reach the database) nor one
// principal (a user across all its tokens and addresses, or the API key; counted once authenticated). Without the
// share, one ROLE_USER stalling 1,000 request bodies held every slot and the node answered everyone else 503.
import { performance } from 'node:perf_hooks';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../config.js';
import { ApiError } from '../../errors.js';
import { KeyedCounter } from '../../lib/keyed-counter.js';
import type { Metrics } from '../../metrics.js';
import type { Principal } from '../../services/principal.js';
import { clientAddressKey } from '../client-address.js';
import { syncCheck } from './sync-hook.js';
import { routeConfig } from '../route-config.js';

// Sampling every 50 ms notices a stall within one sample and costs nothing measurable.
const LAG_SAMPLE_MS = 50;

export interface OverloadGuard {
  inFlight(): number;
  lagMs(): number;
  /** Registers the per-principal share check: call it after the authentication hook, which sets the principal. */
  registerPrincipalShare(app: FastifyInstance): void;
  stop(): void;
}

export function registerOverloadGuard(
  app: FastifyInstance,
  limits: Config['overload'],
  metrics: Metrics,
): OverloadGuard {
  let inFlight = 0;
  let lagMs = 0;
  let expected = performance.now() + LAG_SAMPLE_MS;
  const sampler = setInterval(() => {
    const now = performance.now();
    lagMs = Math.max(0, now - expected);
    expected = now + LAG_SAMPLE_MS;
    metrics.eventLoopLag.set(lagMs);
  }, LAG_SAMPLE_MS);
  sampler.unref();
  const share = limits.maxInFlightPerClient;
  const perAddress = share === null ? null : new KeyedCounter(share);
  const perPrincipal = share === null ? null : new KeyedCounter(share);
  metrics.countInFlightWith(() => inFlight);

  /** Holds one of `counter`'s places for `key` until the response is done, or refuses the request. */
  function holdShare(counter: KeyedCounter, key: string, who: string, reply: FastifyReply): void {
    takeShare(counter, key, who);
    reply.raw.once('close', () => counter.release(key));
  }

  /** Takes one of `counter`'s places for `key` (the caller releases it), or refuses the request. */
  function takeShare(counter: KeyedCounter, key: string, who: string): string {
    if (!counter.tryTake(key)) {
      metrics.overloadRejections.inc({ reason: 'client_share' });
      throw new ApiError(
        'overloaded',
        `${who} already has ${counter.max} requests in flight, its share of this node`,
        1,
      );
    }
    return key;
  }

  app.addHook('onRequest', syncCheck(admit));

  function admit(request: FastifyRequest, reply: FastifyReply): void {
    if (routeConfig(request).limit === 'exempt') return;
    if (limits.maxEventLoopDelayMs !== null && lagMs > limits.maxEventLoopDelayMs) {
      metrics.overloadRejections.inc({ reason: 'event_loop_delay' });
      throw new ApiError(
        'overloaded',
        `event loop delay ${Math.round(lagMs)} ms is over ${limits.maxEventLoopDelayMs} ms`,
        1,
      );
    }
    if (limits.maxInFlight !== null && inFlight >= limits.maxInFlight) {
      metrics.overloadRejections.inc({ reason: 'in_flight' });
      throw new ApiError('overloaded', `${inFlight} requests in flight, the bound is ${limits.maxInFlight}`, 1);
    }
    // A stream open for hours would hold its slot as long: it is counted by its own bounds instead.
    if (routeConfig(request).longLived) return;
    const addressKey = perAddress ? takeShare(perAddress, clientAddressKey(request.ip), 'this address') : null;
    inFlight += 1;
    // 'close' fires once whether the response finished or the client went away, so the count never leaks. One
    // listener for both: each once('close') is a wrapper and two list updates per request.
    reply.raw.once('close', () => {
      inFlight -= 1;
      if (addressKey !== null) perAddress?.release(addressKey);
    });
  }

  function registerPrincipalShare(scope: FastifyInstance): void {
    if (!perPrincipal) return;
    scope.addHook(
      'onRequest',
      syncCheck((request, reply) => {
        const config = routeConfig(request);
        if (config.limit !== 'exempt' && !config.longLived && request.principal)
          holdShare(perPrincipal, principalKey(request.principal), 'this caller', reply);
      }),
    );
  }

  return { inFlight: () => inFlight, lagMs: () => lagMs, registerPrincipalShare, stop: () => clearInterval(sampler) };
}

/** A user is one principal whatever token it uses: logging in again must not earn another share. */
function principalKey(principal: Principal): string {
  return principal.kind === 'user' ? `user:${principal.username}` : principal.kind;
}
