// The outcome batch: held until it is full, until its delay passes, or until released; every outcome committed once.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DeliveryOutcome } from '../db/repositories/webhook-outbox.js';
import { createOutcomeBatch } from './outcome-batch.js';

const outcome = (id: number): DeliveryOutcome => ({
  id,
  attemptedAt: id,
  durationMs: 1,
  statusCode: 200,
  error: null,
  responseBody: '',
  next: { state: 'delivered' },
});

function recording(size: number, delayMs: number) {
  const groups: number[][] = [];
  const batch = createOutcomeBatch(async (items) => void groups.push(items.map((o) => o.id)), {
    size: () => size,
    delayMs,
  });
  return { groups, batch };
}

describe('outcome batch', () => {
  it('commits a full batch at once, in one transaction', async () => {
    const { groups, batch } = recording(3, 60_000);
    await Promise.all([1, 2, 3].map((id) => batch.add(outcome(id))));
    assert.deepEqual(groups, [[1, 2, 3]]);
  });

  it('commits what it holds once the delay has passed', async () => {
    const { groups, batch } = recording(100, 5);
    const started = performance.now();
    await Promise.all([batch.add(outcome(1)), batch.add(outcome(2))]);
    assert.deepEqual(groups, [[1, 2]]);
    assert.ok(performance.now() - started >= 4);
  });

  it('commits at once when released (nothing else in flight) and on flush', async () => {
    const { groups, batch } = recording(100, 60_000);
    const first = batch.add(outcome(1));
    batch.release();
    await first;
    void batch.add(outcome(2));
    await batch.flush();
    assert.deepEqual(groups, [[1], [2]]);
  });

  it('rejects the outcomes of a failed commit, and only those', async () => {
    let calls = 0;
    const batch = createOutcomeBatch(
      async () => {
        calls += 1;
        if (calls === 1) throw new Error('database down');
      },
      { size: () => 1, delayMs: 60_000 },
    );
    await assert.rejects(batch.add(outcome(1)), /database down/);
    await batch.add(outcome(2));
  });
});
