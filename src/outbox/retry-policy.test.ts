import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { nextRetryDelay } from './retry-policy.js';

describe('nextRetryDelay', () => {
  const persistent = { callback_backoff_delay_ms: 3000, max_callback_backoff_delay_ms: 900_000, callback_persist: true };

  it('grows linearly by the step: 3 s, 6 s, 9 s …', () => {
    assert.deepEqual([1, 2, 3, 4].map((n) => nextRetryDelay(n, persistent)), [3000, 6000, 9000, 12000]);
  });

  it('is capped, and with callback_persist never gives up', () => {
    assert.equal(nextRetryDelay(300, persistent), 900_000);
    assert.equal(nextRetryDelay(301, persistent), 900_000);
    assert.equal(nextRetryDelay(1_000_000, persistent), 900_000);
  });

  it('without callback_persist, stops after the first retry made at the cap', () => {
    const giving = { callback_backoff_delay_ms: 1000, max_callback_backoff_delay_ms: 2500, callback_persist: false };
    assert.deepEqual([1, 2, 3, 4].map((n) => nextRetryDelay(n, giving)), [1000, 2000, 2500, null]);
    const exact = { callback_backoff_delay_ms: 1000, max_callback_backoff_delay_ms: 2000, callback_persist: false };
    assert.deepEqual([1, 2, 3].map((n) => nextRetryDelay(n, exact)), [1000, 2000, null]);
  });
});
