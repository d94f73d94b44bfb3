// The one leased-row queue the work tables share (src/db/leased-queue.ts), on the dialect under test. Shown on
// cloud_webhooks: a sandbox node runs no worker over that table, so only the test claims its rows.
import assert from 'node:assert/strict';
import { before, beforeEach, describe, it } from 'node:test';
import { createLeasedQueue } from '../../src/db/leased-queue.js';
import { startTestNode, suiteScope, type TestNode } from '../support/harness.js';

const LEASE_MS = 1000;

describe('leased queue', () => {
  const suite = suiteScope();
  let t: TestNode;
  let queue: ReturnType<typeof createLeasedQueue<'cloud_webhooks'>>;
  const db = () => t.node.db.db;
  const insert = async (...dueAt: number[]) => {
    const rows = await db()
      .insertInto('cloud_webhooks')
      .values(
        dueAt.map((at) => ({
          body: `due at ${at}`,
          state: 'pending' as const,
          attempts: 0,
          next_attempt_at: at,
          received_at: 0,
        })),
      )
      .returning('id')
      .execute();
    return rows.map((row) => Number(row.id));
  };
  const claim = (now: number, limit = 10) =>
    queue.claim({ now, limit, leaseMs: LEASE_MS, columns: ['body', 'attempts'], countAttempt: true });

  before(async () => {
    t = await startTestNode(suite);
    queue = createLeasedQueue(db(), t.node.db.dialect, 'cloud_webhooks');
  });
  beforeEach(() => db().deleteFrom('cloud_webhooks').execute());

  it('claims due rows oldest due first, up to the limit, each once while leased, counting the attempt', async () => {
    await insert(100, 50, 200);
    assert.deepEqual(
      (await claim(150, 1)).map((row) => [row.body, row.attempts]),
      [['due at 50', 1]],
    );
    assert.deepEqual(
      (await claim(150)).map((row) => row.body),
      ['due at 100'],
      'the leased row and the row not yet due are left',
    );
    assert.equal(await queue.hasDue(150), false);
    assert.equal(await queue.countPending(), 3);
  });

  it('answers claimed rows in id order', async () => {
    const ids = await insert(30, 20, 10);
    assert.deepEqual(
      (await claim(100)).map((row) => row.id),
      ids,
    );
  });

  it('gives a row back when its lease runs out, or at once when released', async () => {
    const [expiring, released] = await insert(0, 0);
    await claim(0);
    assert.deepEqual(await claim(LEASE_MS - 1), []);
    await queue.release([released!]);
    assert.deepEqual(
      (await claim(LEASE_MS - 1)).map((row) => row.id),
      [released],
    );
    assert.deepEqual(
      (await claim(LEASE_MS + 1)).map((row) => [row.id, row.attempts]),
      [[expiring, 2]],
    );
  });

  it('retryAt makes a row due again later with the caller’s changes; settle ends it', async () => {
    const [retried, ended] = await insert(0, 0);
    await claim(0);
    await queue.retryAt([retried!], 500, { last_error: 'later' });
    await queue.settle([ended!], { state: 'processed', processed_at: 1 });
    assert.deepEqual(await claim(499), []);
    const again = await db()
      .selectFrom('cloud_webhooks')
      .select(['id', 'claimed_until', 'last_error', 'state'])
      .orderBy('id')
      .execute();
    assert.deepEqual(
      again.map((row) => [Number(row.id), row.claimed_until, row.last_error, row.state]),
      [
        [retried, null, 'later', 'pending'],
        [ended, null, null, 'processed'],
      ],
    );
    assert.deepEqual(
      (await claim(500)).map((row) => row.id),
      [retried],
    );
  });

  it('tells when the next row can be claimed: when it falls due, or when its lease ends if later', async () => {
    assert.equal(await queue.nextDueAt(), null);
    await insert(100, 300);
    assert.equal(await queue.nextDueAt(), 100);
    await claim(100, 1);
    assert.equal(await queue.nextDueAt(), 300);
    await claim(300, 1);
    assert.equal(await queue.nextDueAt(), 100 + LEASE_MS);
  });

  it('two claims side by side never take the same row', async () => {
    await insert(...Array.from({ length: 20 }, (_, i) => i));
    const [first, second] = await Promise.all([claim(100, 8), claim(100, 8)]);
    const ids = [...first!, ...second!].map((row) => row.id);
    assert.equal(new Set(ids).size, ids.length);
    assert.equal(ids.length, 16);
  });
});
