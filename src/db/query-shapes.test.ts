import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fixedChunks, paddedInList } from './query-shapes.js';

test('IN lists are padded with their last value to one of four lengths', () => {
  assert.deepEqual(paddedInList([1, 2, 3]), [1, 2, 3, 3, 3, 3, 3, 3]);
  assert.equal(paddedInList(Array.from({ length: 9 }, (_, i) => i)).length, 32);
  assert.equal(paddedInList(Array.from({ length: 512 }, (_, i) => i)).length, 512);
  assert.equal(paddedInList(Array.from({ length: 600 }, (_, i) => i)).length, 600);
  assert.deepEqual(paddedInList([]), []);
});

test('rows are cut into chunks of fixed lengths, in order', () => {
  const rows = Array.from({ length: 345 }, (_, i) => i);
  const chunks = fixedChunks(rows);
  assert.deepEqual(
    chunks.map((c) => c.length),
    [256, 64, 16, 4, 4, 1],
  );
  assert.deepEqual(chunks.flat(), rows);
});
