// The leader's fence: a holder whose renewal hangs (the database unreachable, a query stuck up to its timeout) stops
// its singleton work before its lease can run out, so that the node taking the lease after it never overlaps with
// it. The lease lives in a real database (either dialect); the renewal is held behind a gate that never opens while
// it matters. Time is injected twice over: the manual clock is what the lease rows are written with, and the test
// runner's mock timers drive the fence's timer, moved together by `advance`.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it, mock } from 'node:test';
import { createClusterMetrics } from '../../src/cluster/cluster-metrics.js';
import { createLeadership, type Leadership } from '../../src/cluster/leadership.js';
import { loadConfig } from '../../src/config.js';
import { openDatabase, type DatabaseHandle } from '../../src/db/database.js';
import { createClusterRepository, type ClusterRepository } from '../../src/db/repositories/cluster.js';
import { createMetrics } from '../../src/metrics.js';
import { ManualClock } from '../support/clock.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

// unhealthy_interval's default: the lease each renewal takes.
const LEASE_MS = 30_000;
const quiet = { info() {}, warn() {} };

/** Singleton work that says whether it runs now. */
function createRecordedWork() {
  return {
    running: false,
    start() {
      this.running = true;
    },
    async stop() {
      this.running = false;
    },
  };
}

/** The repository with its lease renewals held behind a gate while the gate is closed. */
function gateRenewals(repository: ClusterRepository) {
  let gate: Promise<void> = Promise.resolve();
  let open = () => {};
  return {
    repository: {
      ...repository,
      acquireLease: async (...args: Parameters<ClusterRepository['acquireLease']>) => {
        await gate;
        return repository.acquireLease(...args);
      },
    },
    close() {
      gate = new Promise((resolve) => (open = resolve));
    },
    open: () => open(),
  };
}

describe('the leader fence', () => {
  let dataDir: string;
  let database: TestDatabase;
  let handle: DatabaseHandle;

  before(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'openprem-fence-'));
    database = await createTestDatabase(dataDir);
    handle = openDatabase(loadConfig(database.env).db);
    await handle.migrate();
  });
  after(async () => {
    mock.timers.reset();
    await handle?.close();
    await database?.drop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('stops the singleton work at 0.8 of the lease while the renewal hangs, before another node can take it', async () => {
    const clock = new ManualClock();
    const gated = gateRenewals(createClusterRepository(handle.db));
    const node = (
      nodeKey: string,
      repository: ClusterRepository,
      work: ReturnType<typeof createRecordedWork>,
    ): Leadership =>
      createLeadership({
        repository,
        nodeKey,
        clock,
        metrics: createClusterMetrics(createMetrics(nodeKey)),
        work: [work],
        log: quiet,
      });
    const aWork = createRecordedWork();
    const bWork = createRecordedWork();
    const a = node('a', gated.repository, aWork);
    const b = node('b', createClusterRepository(handle.db), bWork);
    let elapsed = 0;
    const advanceTo = async (ms: number) => {
      clock.advance(ms - elapsed);
      mock.timers.tick(ms - elapsed);
      elapsed = ms;
      await new Promise((resolve) => setImmediate(resolve));
    };

    mock.timers.enable({ apis: ['setTimeout'] });
    await a.renew(LEASE_MS);
    assert.equal(a.isLeader(), true);
    assert.equal(aWork.running, true);

    // The next heartbeat's renewal never completes.
    gated.close();
    await advanceTo(5_000);
    const hung = a.renew(LEASE_MS);

    await advanceTo(20_000);
    assert.equal(a.isLeader(), true, 'well before the fence the holder still leads');
    assert.equal(aWork.running, true);
    await b.renew(LEASE_MS);
    assert.equal(b.isLeader(), false, 'the lease has not run out');

    // 0.8 × 30 s = 24 s (less the few real milliseconds the first renewal took).
    await advanceTo(0.8 * LEASE_MS);
    assert.equal(a.isLeader(), false, 'fenced off at 0.8 of the lease');
    assert.equal(aWork.running, false, 'its singleton work has stopped');
    await b.renew(LEASE_MS);
    assert.equal(b.isLeader(), false, 'the lease itself still runs: nobody leads for the last fifth');

    await advanceTo(LEASE_MS);
    await b.renew(LEASE_MS);
    assert.equal(b.isLeader(), true, 'another node takes the lease when it runs out');
    assert.equal(bWork.running, true);
    assert.equal(aWork.running, false, 'the two never run the work together');

    // The hung renewal finally answers: too late, the lease has another holder.
    gated.open();
    await hung;
    assert.equal(a.isLeader(), false);
    assert.equal(await b.release(), true);
  });
});
