import assert from 'node:assert/strict';
import { test } from 'node:test';
import { timeOrderedBytes, uuidV7 } from './time-ordered-ids.js';

test('the first six bytes are the time, the rest differ from one id to the next', () => {
  const a = timeOrderedBytes(24, 1_700_000_000_123);
  const b = timeOrderedBytes(24, 1_700_000_000_123);
  assert.equal(a.length, 30);
  assert.equal(a.readUIntBE(0, 6), 1_700_000_000_123);
  assert.notDeepEqual(a.subarray(6), b.subarray(6));
});

test('ids drawn across many pools never repeat', () => {
  const seen = new Set<string>();
  for (let i = 0; i < 10_000; i++) seen.add(timeOrderedBytes(24, 1).toString('hex'));
  assert.equal(seen.size, 10_000);
});

test('uuidV7 is a version 7, RFC 9562 variant UUID that sorts by time', () => {
  const first = uuidV7(1_700_000_000_000);
  const later = uuidV7(1_700_000_000_001);
  assert.match(first, /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.equal(first.slice(0, 13), '018bcfe5-6800');
  assert.ok(first < later);
});
