import type { Clock } from './clock.js';

/**
 * A token bucket: `burst` tokens at most, refilled at `ratePerSecond`. Time comes from the clock, so tests can
 * check the arithmetic exactly.
 *
 * The count is kept as of the last token taken (`updatedAt`) and the refill since then is computed afresh on each
 * call: refusals and `available()` change nothing, so frequent polling cannot pile up rounding errors, and a clock
 * that steps back earns nothing (and cannot make the same time count twice).
 */
export class TokenBucket {
  private tokens: number;
  private updatedAt: number;

  constructor(
    readonly ratePerSecond: number,
    readonly burst: number,
    private readonly clock: Clock,
  ) {
    this.tokens = burst;
    this.updatedAt = clock.now();
  }

  /** Takes one token: 0 when granted, else the milliseconds until one will be available. */
  take(): number {
    const now = this.clock.now();
    const tokens = this.tokensAt(now);
    if (tokens < 1) return this.waitFrom(now, tokens);
    this.tokens = tokens - 1;
    this.updatedAt = Math.max(this.updatedAt, now);
    return 0;
  }

  available(): number {
    return this.tokensAt(this.clock.now());
  }

  private tokensAt(time: number): number {
    const elapsed = Math.max(0, time - this.updatedAt);
    return Math.min(this.burst, this.tokens + (elapsed * this.ratePerSecond) / 1000);
  }

  /** The whole milliseconds until a token is there: the estimate is settled against tokensAt, whose rounding decides. */
  private waitFrom(now: number, tokens: number): number {
    let wait = Math.max(1, Math.ceil(((1 - tokens) * 1000) / this.ratePerSecond));
    while (wait > 1 && this.tokensAt(now + wait - 1) >= 1) wait -= 1;
    while (this.tokensAt(now + wait) < 1) wait += 1;
    return wait;
  }
}
