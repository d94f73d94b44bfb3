// Group commit: one group per event-loop turn, the next gathering while one commits, and failures isolated.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createGroupCommit } from './group-commit.js';

describe('group commit', () => {
  it('commits what one event-loop turn submits in one group', async () => {
    const groups: number[][] = [];
    const commits = createGroupCommit<number>(async (items) => void groups.push(items));
    await Promise.all([1, 2, 3].map((n) => commits.add(n)));
    await commits.add(4);
    assert.deepEqual(groups, [[1, 2, 3], [4]]);
  });

  it('gathers the next group while one is being committed', async () => {
    const groups: number[][] = [];
    let release!: () => void;
    const first = new Promise<void>((resolve) => (release = resolve));
    const commits = createGroupCommit<number>(async (items) => {
      groups.push(items);
      if (groups.length === 1) await first;
    });
    const a = commits.add(1);
    await new Promise((resolve) => setImmediate(resolve));
    const rest = [2, 3].map((n) => commits.add(n));
    await new Promise((resolve) => setImmediate(resolve));
    release();
    await Promise.all([a, ...rest]);
    assert.deepEqual(groups, [[1], [2, 3]]);
  });

  it('retries a failed group item by item, so only the bad item fails', async () => {
    const commits = createGroupCommit<number>(async (items) => {
      if (items.includes(13)) throw new Error('bad item');
    });
    const results = await Promise.allSettled([12, 13, 14].map((n) => commits.add(n)));
    assert.deepEqual(
      results.map((r) => r.status),
      ['fulfilled', 'rejected', 'fulfilled'],
    );
    await commits.flush();
  });
});
