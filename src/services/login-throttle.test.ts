import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ADDRESS_FREE_FAILURES,
  addressKey,
  createLoginThrottle,
  FORGET_AFTER_MS,
  MAX_LOCKOUT_MS,
  MAX_RECORDS,
  PAIR_FREE_FAILURES,
  USERNAME_FREE_FAILURES,
} from './login-throttle.js';

// Not test/support/clock.ts: the build compiles src/ alone (rootDir), tests beside modules included.
function manualClock() {
  let now = Date.UTC(2026, 0, 5, 12);
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe('login throttle', () => {
  it('locks one address guessing one username, with a doubling wait capped at 15 minutes', () => {
    const clock = manualClock();
    const throttle = createLoginThrottle(clock);
    for (let i = 0; i < PAIR_FREE_FAILURES - 1; i++) throttle.recordFailure('admin', '10.0.0.9');
    assert.equal(throttle.waitMs('admin', '10.0.0.9'), 0);
    throttle.recordFailure('admin', '10.0.0.9');
    assert.equal(throttle.waitMs('admin', '10.0.0.9'), 1000);
    throttle.recordFailure('admin', '10.0.0.9');
    assert.equal(throttle.waitMs('admin', '10.0.0.9'), 2000);
    for (let i = 0; i < 20; i++) throttle.recordFailure('admin', '10.0.0.9');
    assert.equal(throttle.waitMs('admin', '10.0.0.9'), MAX_LOCKOUT_MS);
    // Another address is not held back by it.
    assert.equal(throttle.waitMs('admin', '10.0.0.1'), 0);
  });

  it('a success clears its (username, address) key and nothing else', () => {
    const throttle = createLoginThrottle(manualClock());
    for (let i = 0; i < PAIR_FREE_FAILURES; i++) throttle.recordFailure('alice', '10.0.0.9');
    assert.ok(throttle.waitMs('alice', '10.0.0.9') > 0);
    throttle.recordSuccess('alice', '10.0.0.9');
    assert.equal(throttle.waitMs('alice', '10.0.0.9'), 0);
    throttle.recordFailure('alice', '10.0.0.9');
    assert.equal(throttle.waitMs('alice', '10.0.0.9'), 0, 'the pair count started again from zero');
  });

  it('locks an address spraying many usernames, for every username', () => {
    const throttle = createLoginThrottle(manualClock());
    for (let i = 0; i < ADDRESS_FREE_FAILURES; i++) throttle.recordFailure(`user${i}`, '10.0.0.9');
    assert.equal(throttle.waitMs('admin', '10.0.0.9'), 1000);
    assert.equal(throttle.waitMs('admin', '10.0.0.1'), 0);
  });

  it('distributed guessing meets the username ceiling, which holds back only addresses that failed for it', () => {
    const throttle = createLoginThrottle(manualClock());
    for (let i = 0; i < USERNAME_FREE_FAILURES; i++) throttle.recordFailure('admin', `10.1.${i >> 8}.${i & 255}`);
    assert.ok(throttle.waitMs('admin', '10.1.0.0') > 0, 'a failing address is held back');
    assert.equal(throttle.waitMs('admin', '192.0.2.1'), 0, 'an address that has not failed is not');
    assert.equal(throttle.waitMs('bob', '10.1.0.0'), 0, "the ceiling is the username's alone");
  });

  it('forgets failures 15 minutes after the last one', () => {
    const clock = manualClock();
    const throttle = createLoginThrottle(clock);
    for (let i = 0; i < PAIR_FREE_FAILURES + 3; i++) throttle.recordFailure('admin', '10.0.0.9');
    clock.advance(FORGET_AFTER_MS + 1);
    assert.equal(throttle.waitMs('admin', '10.0.0.9'), 0);
    throttle.recordFailure('admin', '10.0.0.9');
    assert.equal(throttle.waitMs('admin', '10.0.0.9'), 0);
  });

  it('keeps at most MAX_RECORDS records under a flood of distinct usernames and addresses', () => {
    const throttle = createLoginThrottle(manualClock());
    for (let i = 0; i < MAX_RECORDS; i++)
      throttle.recordFailure(`flood-${i}-${'x'.repeat(500)}`, `10.${i >> 16}.${(i >> 8) & 255}.${i & 255}`);
    throttle.recordFailure('one-more', '10.255.0.1');
    assert.equal(throttle.size, MAX_RECORDS);
    assert.equal(throttle.waitMs('flood-0-x', '10.0.0.0'), 0);
  });

  it('counts IPv6 clients by their /64 and IPv4-mapped addresses as IPv4', () => {
    assert.equal(addressKey('2001:db8:1:2:aaaa::1'), '2001:db8:1:2::/64');
    assert.equal(addressKey('2001:0db8:0001:0002:ffff:1:2:3'), '2001:db8:1:2::/64');
    assert.equal(addressKey('2001:db8::1'), '2001:db8:0:0::/64');
    assert.equal(addressKey('::1'), '0:0:0:0::/64');
    assert.equal(addressKey('fe80::1%eth0'), 'fe80:0:0:0::/64');
    assert.equal(addressKey('::ffff:192.0.2.1'), '192.0.2.1');
    assert.equal(addressKey('192.0.2.1'), '192.0.2.1');
    assert.match(addressKey(`not-an-address-${'x'.repeat(10_000)}`), /^#[\w-]{43}$/);
  });
});
