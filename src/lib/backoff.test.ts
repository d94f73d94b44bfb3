import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  callbackRetryDelay,
  cloudWebhookRetry,
  clusterBusReconnect,
  contactLookupRetry,
  doublingBackoff,
  linearBackoff,
} from './backoff.js';

describe('backoff shapes', () => {
  it('linear: n × step, capped', () => {
    assert.deepEqual([1, 2, 3, 4].map(linearBackoff(1000, 2500)), [1000, 2000, 2500, 2500]);
  });

  it('doubling: first × 2^(n−1), capped', () => {
    assert.deepEqual([1, 2, 3, 4].map(doublingBackoff(100, 500)), [100, 200, 400, 500]);
  });
});

describe('named policies', () => {
  it('cloud webhooks: 5 s doubling to 15 minutes', () => {
    assert.deepEqual([1, 2, 3, 8, 9, 30].map(cloudWebhookRetry), [5000, 10_000, 20_000, 640_000, 900_000, 900_000]);
  });

  it('contact look-ups: 5 s more each time', () => {
    assert.deepEqual([1, 2, 3, 4].map(contactLookupRetry), [5000, 10_000, 15_000, 20_000]);
  });

  it('cluster bus reconnect: 100 ms doubling to 5 s', () => {
    assert.deepEqual([1, 2, 6, 7, 50].map(clusterBusReconnect), [100, 200, 3200, 5000, 5000]);
  });
});

describe('callbackRetryDelay', () => {
  const persistent = {
    callback_backoff_delay_ms: 3000,
    max_callback_backoff_delay_ms: 900_000,
    callback_persist: true,
  };

  it('grows linearly by the step: 3 s, 6 s, 9 s …', () => {
    assert.deepEqual(
      [1, 2, 3, 4].map((n) => callbackRetryDelay(n, persistent)),
      [3000, 6000, 9000, 12000],
    );
  });

  it('is capped, and with callback_persist never gives up', () => {
    assert.equal(callbackRetryDelay(300, persistent), 900_000);
    assert.equal(callbackRetryDelay(301, persistent), 900_000);
    assert.equal(callbackRetryDelay(1_000_000, persistent), 900_000);
  });

  it('without callback_persist, stops after the first retry made at the cap', () => {
    const giving = { callback_backoff_delay_ms: 1000, max_callback_backoff_delay_ms: 2500, callback_persist: false };
    assert.deepEqual(
      [1, 2, 3, 4].map((n) => callbackRetryDelay(n, giving)),
      [1000, 2000, 2500, null],
    );
    const exact = { callback_backoff_delay_ms: 1000, max_callback_backoff_delay_ms: 2000, callback_persist: false };
    assert.deepEqual(
      [1, 2, 3].map((n) => callbackRetryDelay(n, exact)),
      [1000, 2000, null],
    );
  });
});
