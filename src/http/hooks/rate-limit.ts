// Per-node token buckets (reference §10, decisions "Rate and concurrency limits"): POST /v1/messages draws from
// its own bucket (50/s, burst 150), every other limited endpoint from one shared bucket (20/s, burst 60).
import type { FastifyInstance } from 'fastify';
import { Gauge } from 'prom-client';
import type { Config } from '../../config.js';
import { ApiError } from '../../errors.js';
import type { Clock } from '../../lib/clock.js';
import { TokenBucket } from '../../lib/token-bucket.js';
import type { Metrics } from '../../metrics.js';

export function registerRateLimit(app: FastifyInstance, limits: Config['rateLimits'], clock: Clock, metrics: Metrics): void {
  const buckets = {
    messages: limits.messages && new TokenBucket(limits.messages.ratePerSecond, limits.messages.burst, clock),
    default: limits.default && new TokenBucket(limits.default.ratePerSecond, limits.default.burst, clock),
  };
  new Gauge({
    name: 'openprem_rate_limit_tokens',
    help: 'Tokens left in each per-node bucket',
    labelNames: ['bucket'],
    registers: [metrics.registry],
    collect() {
      for (const [name, bucket] of Object.entries(buckets)) if (bucket) this.set({ bucket: name }, bucket.available());
    },
  });
  if (!buckets.messages && !buckets.default) return;

  app.addHook('onRequest', async (request) => {
    if (request.is404) return;
    const limit = request.routeOptions.config.limit ?? 'default';
    if (limit === 'exempt') return;
    const bucket = buckets[limit];
    if (!bucket) return;
    const waitMs = bucket.take();
    if (waitMs > 0) {
      metrics.rateLimited.inc({ bucket: limit });
      throw new ApiError('tooManyRequests', `rate limit of ${bucket.ratePerSecond} requests/s (burst ${bucket.burst}) exceeded`, Math.ceil(waitMs / 1000));
    }
  });
}
