// The pass loop: back-to-back passes while each finds a full batch, and a stop that ends the run after the pass in
// progress rather than after the whole backlog.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createPassLoop, dueIn } from './pass-loop.js';

const loopOver = (pass: () => Promise<boolean>) =>
  createPassLoop({ pass, nextDueIn: async () => null, idleMs: 60_000, wakeDelayMs: 0, onError: () => {} });

describe('pass loop', () => {
  it('runs passes back to back while each is full', async () => {
    let backlog = 5;
    const loop = loopOver(async () => --backlog > 0);
    loop.start();
    await loop.settled();
    assert.equal(backlog, 0);
    await loop.stop();
  });

  it('stops after the pass in progress, however much is still waiting', async () => {
    let passes = 0;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const loop = loopOver(async () => {
      passes++;
      if (passes === 3) await gate;
      return true; // an endless backlog: every pass is full
    });
    loop.start();
    while (passes < 3) await new Promise((resolve) => setImmediate(resolve));
    const stopped = loop.stop();
    release();
    await stopped;
    assert.equal(passes, 3, 'no pass began after the stop');
  });

  it('drains on demand, started or not: passes until one is not full, after the pass in progress', async () => {
    let backlog = 3;
    const order: string[] = [];
    const loop = loopOver(async () => {
      order.push(`pass ${backlog}`);
      return --backlog > 0;
    });
    await loop.drain();
    assert.deepEqual(order, ['pass 3', 'pass 2', 'pass 1']);
    await loop.stop();
  });

  it('tells when the next work is due on the given clock', async () => {
    const clock = { now: () => 1000 };
    assert.equal(await dueIn(async () => 1500, clock)(), 500);
    assert.equal(await dueIn(async () => null, clock)(), null);
  });
});
