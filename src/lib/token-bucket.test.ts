// The bucket's arithmetic, exactly, with a clock that moves only when the test moves it.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Clock } from './clock.js';
import { TokenBucket } from './token-bucket.js';

class HandClock implements Clock {
  current = 1_000_000;
  now(): number {
    return this.current;
  }
  advance(ms: number): void {
    this.current += ms;
  }
}

function drain(bucket: TokenBucket): number {
  let granted = 0;
  while (bucket.take() === 0) granted += 1;
  return granted;
}

describe('TokenBucket', () => {
  it('grants the whole burst at one instant, then refuses with the wait until the next token', () => {
    const clock = new HandClock();
    const bucket = new TokenBucket(20, 60, clock);
    for (let i = 0; i < 60; i++) assert.equal(bucket.take(), 0, `take ${i + 1} of the burst`);
    assert.equal(bucket.take(), 50, '20/s: the next token is 50 ms away');
    assert.equal(bucket.take(), 50, 'a refusal does not spend anything');
    assert.equal(bucket.available(), 0);
  });

  it('the wait shrinks as time passes and is exact to the millisecond', () => {
    const clock = new HandClock();
    const bucket = new TokenBucket(20, 60, clock);
    drain(bucket);
    clock.advance(20);
    assert.equal(bucket.take(), 30);
    clock.advance(29);
    assert.equal(bucket.take(), 1);
    clock.advance(1);
    assert.equal(bucket.take(), 0, 'granted after exactly the announced wait');
    assert.equal(bucket.take(), 50);
  });

  it('advancing by the announced wait always grants, and one millisecond less never does', () => {
    for (const [rate, burst] of [
      [20, 60],
      [50, 150],
      [3, 5],
      [7, 2],
      [0.3, 1],
      [2.5, 4],
    ] as const) {
      const clock = new HandClock();
      const bucket = new TokenBucket(rate, burst, clock);
      drain(bucket);
      for (let step = 1; step <= 40; step++) {
        clock.advance((step * 7) % 13);
        const wait = bucket.take();
        if (wait === 0) continue;
        assert.ok(wait >= 1, `${rate}/s: a refusal announces at least 1 ms`);
        clock.advance(wait - 1);
        assert.ok(bucket.take() > 0, `${rate}/s: ${wait - 1} ms after a ${wait} ms wait is still too early`);
        clock.advance(1);
        assert.equal(bucket.take(), 0, `${rate}/s: granted ${wait} ms after a ${wait} ms wait`);
      }
    }
  });

  it('refills at the configured rate: one token per 50 ms at 20/s', () => {
    const clock = new HandClock();
    const bucket = new TokenBucket(20, 60, clock);
    drain(bucket);
    clock.advance(50);
    assert.equal(bucket.take(), 0);
    assert.ok(bucket.take() > 0);
    clock.advance(500);
    assert.equal(drain(bucket), 10);
    clock.advance(1000);
    assert.equal(bucket.available(), 20);
  });

  it('never holds more than the burst, however long it rests', () => {
    const clock = new HandClock();
    const bucket = new TokenBucket(50, 150, clock);
    clock.advance(3_600_000);
    assert.equal(bucket.available(), 150);
    assert.equal(drain(bucket), 150);
    clock.advance(2_999);
    assert.equal(bucket.available(), 149.95);
    clock.advance(10_000);
    assert.equal(drain(bucket), 150);
  });

  it('handles fractional rates exactly, also when polled on the way', () => {
    const clock = new HandClock();
    const bucket = new TokenBucket(0.1, 1, clock);
    assert.equal(bucket.take(), 0);
    assert.equal(bucket.take(), 10_000);
    // Polled every second: the tenth poll is exactly 10 s later and must be granted.
    for (let second = 1; second < 10; second++) {
      clock.advance(1000);
      assert.equal(bucket.take(), 10_000 - second * 1000, `after ${second} s`);
    }
    clock.advance(1000);
    assert.equal(bucket.take(), 0);

    const half = new TokenBucket(2.5, 2, clock);
    assert.equal(drain(half), 2);
    assert.equal(half.take(), 400);
    clock.advance(400);
    assert.equal(half.take(), 0);
  });

  it('a clock that steps back neither refills nor credits the same time twice', () => {
    const clock = new HandClock();
    const bucket = new TokenBucket(20, 60, clock);
    drain(bucket);
    clock.advance(-1000);
    assert.equal(bucket.available(), 0);
    clock.advance(1000);
    assert.equal(bucket.available(), 0, 'back where it was drained: nothing has been earned');
    clock.advance(100);
    assert.equal(drain(bucket), 2);
  });
});
