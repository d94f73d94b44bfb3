// The login throttle's documented numbers written out (docs/api/users-and-auth.md and the comment atop
// login-throttle.ts), so that a change to a constant shows here: login-throttle.test.ts reads the constants
// themselves. Found missing by the mutation run (README.md#mutation-testing).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ManualClock } from '../../test/support/clock.js';
import { createLoginThrottle } from './login-throttle.js';

const MINUTE_MS = 60_000;

describe('login throttle, in its documented numbers', () => {
  it('locks for 1 s at the fifth failure of a pair, doubling up to 15 minutes', () => {
    const clock = new ManualClock();
    const throttle = createLoginThrottle(clock);
    const fail = () => throttle.recordFailure('admin', '10.0.0.9').lockedForMs;
    assert.deepEqual([fail(), fail(), fail(), fail()], [0, 0, 0, 0]);
    assert.deepEqual([fail(), fail(), fail()], [1000, 2000, 4000]);
    for (let i = 0; i < 20; i++) fail();
    assert.equal(throttle.waitMs('admin', '10.0.0.9'), 15 * MINUTE_MS);
  });

  it("forgets a pair's failures 15 minutes after its last one, not before", () => {
    const clock = new ManualClock();
    const throttle = createLoginThrottle(clock);
    const failFour = () => {
      for (let i = 0; i < 4; i++) throttle.recordFailure('admin', '10.0.0.9');
    };
    failFour();
    clock.advance(15 * MINUTE_MS - 1);
    assert.equal(
      throttle.recordFailure('admin', '10.0.0.9').lockedForMs,
      1000,
      'the fifth failure still counts the four',
    );

    const later = createLoginThrottle(clock);
    for (let i = 0; i < 4; i++) later.recordFailure('admin', '10.0.0.9');
    clock.advance(15 * MINUTE_MS + 1);
    assert.equal(later.recordFailure('admin', '10.0.0.9').lockedForMs, 0, 'the four are forgotten');
  });

  it('holds back, from the 50th failure of one username over many addresses, the addresses that failed for it', () => {
    const clock = new ManualClock();
    const throttle = createLoginThrottle(clock);
    for (let i = 1; i < 50; i++) throttle.recordFailure('admin', `10.0.1.${i}`);
    assert.equal(throttle.waitMs('admin', '10.0.1.1'), 0, '49 failures: still free');
    throttle.recordFailure('admin', '10.0.1.50');
    assert.equal(throttle.waitMs('admin', '10.0.1.1'), 1000);
    assert.equal(throttle.waitMs('admin', '10.0.2.1'), 0, 'an address that never failed is not held back');
  });
});
