// A coalesced run: each caller waits for a run that started after its call, and concurrent callers share runs.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { coalescedRun } from './coalesced-run.js';

function controlledRuns() {
  const releases: Array<(error?: Error) => void> = [];
  const run = () =>
    new Promise<void>((resolve, reject) => releases.push((error) => (error ? reject(error) : resolve())));
  return { run, releases };
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

describe('coalesced run', () => {
  it('starts a run at once when none is under way', async () => {
    const { run, releases } = controlledRuns();
    const next = coalescedRun(run);
    const done = next();
    assert.equal(releases.length, 1);
    releases[0]!();
    await done;
  });

  it('makes callers arriving during a run wait for one more run, which they all share', async () => {
    const { run, releases } = controlledRuns();
    const next = coalescedRun(run);
    const first = next();
    const settled: string[] = [];
    const late = [next(), next(), next()].map((p, i) => p.then(() => settled.push(`late${i}`)));
    releases[0]!();
    await first;
    await turn();
    assert.deepEqual(settled, [], 'the first run began before the late callers: it does not cover them');
    assert.equal(releases.length, 2, 'one more run, shared by the three late callers');
    releases[1]!();
    await Promise.all(late);
    assert.equal(releases.length, 2);
  });

  it('passes a failure to the callers of that run only, and runs again for the next callers', async () => {
    const { run, releases } = controlledRuns();
    const next = coalescedRun(run);
    const failing = next();
    const late = next();
    releases[0]!(new Error('disk gone'));
    await assert.rejects(failing, /disk gone/);
    await turn();
    releases[1]!();
    await late;
  });
});
