// The pass loop: back-to-back passes while each finds a full batch, and a stop that ends the run after the pass in
// progress rather than after the whole backlog.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createPassLoop } from './pass-loop.js';

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
});
