// The leader lease's bookkeeping on one node, over a lease table in memory: when the singleton work starts and
// stops, what a failed renewal does, what a release gives up, and what the metrics say
// (docs/api/cluster.md#leader-and-heartbeats). Several nodes on a real PostgreSQL: test/cluster/leadership.test.ts;
// the fence against a hung renewal on a real database: test/cluster/leader-fence.test.ts. Found missing by the
// mutation run (README.md#mutation-testing).
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it, mock } from 'node:test';
import type { ClusterRepository } from '../db/repositories/cluster.js';
import { createMetrics } from '../metrics.js';
import { ManualClock } from '../../test/support/clock.js';
import { createClusterMetrics } from './cluster-metrics.js';
import { createLeadership, LEADER_LEASE } from './leadership.js';

const LEASE_MS = 30_000;
const quiet = { info() {}, warn() {} };

/** The lease table of the repository, in memory: who holds it, whether the next acquire fails, what was released. */
function memoryLeases() {
  const state = {
    heldByOther: false,
    failNext: false,
    acquired: [] as [string, string, number, number][],
    released: [] as [string, string][],
    /** How many times the work had stopped when the release was asked for. */
    stopsAtRelease: [] as number[],
    stops: () => 0,
  };
  const repository = {
    acquireLease: async (name: string, holder: string, now: number, expiresAt: number) => {
      if (state.failNext) throw new Error('database unreachable');
      state.acquired.push([name, holder, now, expiresAt]);
      return !state.heldByOther;
    },
    // A turn of the event loop, as a real query takes: a release that is not awaited shows.
    releaseLease: async (name: string, holder: string) => {
      state.stopsAtRelease.push(state.stops());
      await new Promise((resolve) => setImmediate(resolve));
      state.released.push([name, holder]);
    },
    leaseHolder: async () => (state.heldByOther ? 'other' : 'a'),
  } as unknown as ClusterRepository;
  return { repository, state };
}

function setUp() {
  const clock = new ManualClock();
  const leases = memoryLeases();
  const work = {
    starts: 0,
    stops: 0,
    start() {
      this.starts += 1;
    },
    /** Takes a turn of the event loop, as stopping real work does: whoever awaits it sees the work stopped. */
    async stop() {
      await new Promise((resolve) => setImmediate(resolve));
      this.stops += 1;
    },
  };
  leases.state.stops = () => work.stops;
  const metrics = createClusterMetrics(createMetrics('a'));
  const leadership = createLeadership({
    repository: leases.repository,
    nodeKey: 'a',
    clock,
    metrics,
    work: [work],
    log: quiet,
  });
  const gauge = async () => (await metrics.leader.get()).values[0]?.value;
  const changes = async () =>
    Object.fromEntries((await metrics.leaderChanges.get()).values.map((v) => [v.labels.change, v.value]));
  return { clock, leases, work, leadership, gauge, changes };
}

describe('leadership on one node', () => {
  beforeEach(() => mock.timers.enable({ apis: ['setTimeout'] }));
  afterEach(() => mock.timers.reset());

  it('takes the lease for ttl from now and starts the work once, however often it renews', async () => {
    const { clock, leases, work, leadership, gauge, changes } = setUp();
    await leadership.renew(LEASE_MS);
    await leadership.renew(LEASE_MS);
    assert.equal(leadership.isLeader(), true);
    assert.deepEqual(leases.state.acquired[0], [LEADER_LEASE, 'a', clock.now(), clock.now() + LEASE_MS]);
    assert.equal(work.starts, 1);
    assert.equal(await gauge(), 1);
    assert.deepEqual(await changes(), { acquired: 1, lost: 0 });
  });

  it('stops the work when another node holds the lease', async () => {
    const { leases, work, leadership, gauge, changes } = setUp();
    await leadership.renew(LEASE_MS);
    leases.state.heldByOther = true;
    await leadership.renew(LEASE_MS);
    assert.equal(leadership.isLeader(), false);
    assert.equal(work.stops, 1);
    assert.equal(await gauge(), 0);
    assert.deepEqual(await changes(), { acquired: 1, lost: 1 });
  });

  it('never starts the work while another node holds the lease', async () => {
    const { leases, work, leadership } = setUp();
    leases.state.heldByOther = true;
    await leadership.renew(LEASE_MS);
    assert.equal(leadership.isLeader(), false);
    assert.deepEqual([work.starts, work.stops], [0, 0]);
  });

  it('a failed renewal keeps the lead while the lease lasts, and stops the work once it has run out', async () => {
    const { clock, leases, work, leadership } = setUp();
    await leadership.renew(LEASE_MS);
    leases.state.failNext = true;
    clock.advance(LEASE_MS - 1);
    await assert.rejects(leadership.renew(LEASE_MS), /database unreachable/);
    assert.equal(leadership.isLeader(), true);
    clock.advance(1);
    await assert.rejects(leadership.renew(LEASE_MS), /database unreachable/);
    assert.equal(leadership.isLeader(), false);
    assert.equal(work.stops, 1);
  });

  it('the fence stops the work at 0.8 of the lease when no renewal succeeds', async () => {
    const { work, leadership } = setUp();
    await leadership.renew(LEASE_MS);
    mock.timers.tick(0.8 * LEASE_MS - 100);
    assert.equal(leadership.isLeader(), true);
    mock.timers.tick(100);
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(leadership.isLeader(), false);
    assert.equal(work.stops, 1);
  });

  it('each renewal moves the fence', async () => {
    const { clock, leadership } = setUp();
    await leadership.renew(LEASE_MS);
    mock.timers.tick(0.5 * LEASE_MS);
    clock.advance(0.5 * LEASE_MS);
    await leadership.renew(LEASE_MS);
    mock.timers.tick(0.5 * LEASE_MS);
    assert.equal(leadership.isLeader(), true, '0.5 of the new lease: the first fence was disarmed');
  });

  it('a release stops the work, then gives the lease up, only when leading', async () => {
    const { leases, work, leadership } = setUp();
    assert.equal(await leadership.release(), false);
    assert.deepEqual(leases.state.released, []);
    await leadership.renew(LEASE_MS);
    assert.equal(await leadership.release(), true);
    assert.deepEqual(leases.state.released, [[LEADER_LEASE, 'a']]);
    assert.deepEqual(leases.state.stopsAtRelease, [1], 'two leaders must not overlap: the work stops first');
    assert.equal(leadership.isLeader(), false);
    assert.equal(work.stops, 1);
  });
});
