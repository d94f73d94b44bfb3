// Per-node token buckets (docs/api/README.md#limits, docs/api/choices.md#rate-and-concurrency-limits):
// POST /v1/messages draws from its own bucket (50/s, burst 150), every other limited endpoint from one shared bucket
// (20/s, burst 60).
//
// Only authenticated callers draw from those two. A request without valid credentials, and a login, draws from its
// address's anonymous bucket and the node's anonymous bucket instead: measured before this split, ~190
// unauthenticated requests/s from one address made 47 of an admin's 50 requests answer 429; after it, none. The caller is known
// only after the token check, which is why authenticate.ts calls `admit` rather than a hook of its own running first;
// the check is cheap (a cached token costs ~18 µs) and a failed one is charged to the anonymous buckets.
import type { FastifyRequest } from 'fastify';
import { LRUCache } from 'lru-cache';
import { Gauge } from 'prom-client';
import type { Config, TokenBucketConfig } from '../../config.js';
import { ApiError } from '../../errors.js';
import type { Clock } from '../../lib/clock.js';
import { TokenBucket } from '../../lib/token-bucket.js';
import type { Metrics } from '../../metrics.js';
import type { Principal } from '../../services/principal.js';
import { clientAddressKey } from '../client-address.js';
import { routeConfig } from '../route-config.js';

// 10,000 addresses × ~250 bytes (bucket, key, LRU links) ≈ 2.5 MB at most. An address pushed out by a flood from
// more addresses than that starts again with a full bucket, which the node-wide anonymous bucket still bounds.
const MAX_TRACKED_ADDRESSES = 10_000;

export interface RateLimiter {
  /** Spends a token for this request, from the caller's buckets (null: anonymous); throws 429 / 1015 when empty. */
  admit(request: FastifyRequest, caller: Principal | null): void;
}

export function createRateLimiter(limits: Config['rateLimits'], clock: Clock, metrics: Metrics): RateLimiter {
  const bucketOf = (config: TokenBucketConfig | null) =>
    config && new TokenBucket(config.ratePerSecond, config.burst, clock);
  const buckets = {
    messages: bucketOf(limits.messages),
    default: bucketOf(limits.default),
    anonymous_total: bucketOf(limits.anonymousTotal),
  };
  const perAddress = new LRUCache<string, TokenBucket>({ max: MAX_TRACKED_ADDRESSES });
  registerBucketGauge(metrics, buckets);

  function spend(bucket: TokenBucket | null, label: string): void {
    if (!bucket) return;
    const waitMs = bucket.take();
    if (waitMs === 0) return;
    metrics.rateLimited.inc({ bucket: label });
    throw new ApiError(
      'tooManyRequests',
      `rate limit of ${bucket.ratePerSecond} requests/s (burst ${bucket.burst}) exceeded`,
      Math.ceil(waitMs / 1000),
    );
  }

  function addressBucket(request: FastifyRequest): TokenBucket | null {
    if (!limits.anonymous) return null;
    const key = clientAddressKey(request.ip);
    let bucket = perAddress.get(key);
    if (!bucket) {
      bucket = new TokenBucket(limits.anonymous.ratePerSecond, limits.anonymous.burst, clock);
      perAddress.set(key, bucket);
    }
    return bucket;
  }

  return {
    admit(request, caller) {
      if (request.is404) return;
      const limit = routeConfig(request).limit ?? 'default';
      if (limit === 'exempt') return;
      if (caller) return spend(buckets[limit], limit);
      // The address first: a single flooding address is refused by its own bucket without draining the node's.
      spend(addressBucket(request), 'anonymous');
      spend(buckets.anonymous_total, 'anonymous_total');
    },
  };
}

function registerBucketGauge(metrics: Metrics, buckets: Record<string, TokenBucket | null>): void {
  new Gauge({
    name: 'openprem_rate_limit_tokens',
    help: 'Tokens left in each per-node bucket',
    labelNames: ['bucket'],
    registers: [metrics.registry],
    collect() {
      for (const [name, bucket] of Object.entries(buckets)) if (bucket) this.set({ bucket: name }, bucket.available());
    },
  });
}
