// Refuses work at once (503 / 1016 with Retry-After) instead of queueing it when the node is saturated: too many
// requests in flight, or an event loop lagging past its bound. A balancer can then send the request elsewhere.
import { performance } from 'node:perf_hooks';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../../config.js';
import { ApiError } from '../../errors.js';
import type { Metrics } from '../../metrics.js';

// Sampling every 50 ms notices a stall within one sample and costs nothing measurable.
const LAG_SAMPLE_MS = 50;

export interface OverloadGuard {
  inFlight(): number;
  lagMs(): number;
  stop(): void;
}

export function registerOverloadGuard(app: FastifyInstance, limits: Config['overload'], metrics: Metrics): OverloadGuard {
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

  app.addHook('onRequest', async (request, reply) => {
    if (request.routeOptions.config.limit === 'exempt') return;
    if (limits.maxEventLoopDelayMs !== null && lagMs > limits.maxEventLoopDelayMs) {
      metrics.overloadRejections.inc({ reason: 'event_loop_delay' });
      throw new ApiError('overloaded', `event loop delay ${Math.round(lagMs)} ms is over ${limits.maxEventLoopDelayMs} ms`, 1);
    }
    if (limits.maxInFlight !== null && inFlight >= limits.maxInFlight) {
      metrics.overloadRejections.inc({ reason: 'in_flight' });
      throw new ApiError('overloaded', `${inFlight} requests in flight, the bound is ${limits.maxInFlight}`, 1);
    }
    inFlight += 1;
    metrics.inFlight.inc();
    // 'close' fires once whether the response finished or the client went away, so the count never leaks.
    reply.raw.once('close', () => {
      inFlight -= 1;
      metrics.inFlight.dec();
    });
  });

  return { inFlight: () => inFlight, lagMs: () => lagMs, stop: () => clearInterval(sampler) };
}
