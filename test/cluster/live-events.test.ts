// Live events across node processes on one PostgreSQL database: a stream open on one node hears, through the
// cluster bus (LISTEN/NOTIFY), of a customer's message and of a send accepted by another node, and of the send's
// statuses, which the leader's network applies wherever it runs.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { call, login, SQLITE_SKIP, startCluster, type Cluster } from '../support/cluster.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { openEventStream } from '../support/event-stream.js';
import { eventually, suiteScope } from '../support/harness.js';

const CUSTOMER = '16315558201';

describe('live events on a cluster', { skip: SQLITE_SKIP }, () => {
  let scratch: string;
  let database: TestDatabase;
  let cluster: Cluster;

  // First of the suite's after hooks: the nodes die before what they use goes.
  const suite = suiteScope();
  before(async () => {
    scratch = await mkdtemp(path.join(os.tmpdir(), 'openprem-live-cluster-'));
    database = await createTestDatabase(scratch);
    // Statuses far enough apart to fall in different batches of changes (200 ms each).
    cluster = await startCluster(suite, 2, { ...database.env, WA_SANDBOX_DELAYS: 'sent:300,delivered:900,read:1500' });
  });
  after(async () => {
    await database?.drop();
    await rm(scratch, { recursive: true, force: true });
  });

  it('a stream on one node hears of messages written through the other, up to the last status', async () => {
    const [a, b] = cluster.nodes.map((node) => node.url) as [string, string];
    const token = await login(a);
    const stream = await openEventStream(b, token);
    try {
      await stream.next((e) => e.event === 'deliveries');
      const forCustomer = () => stream.events.filter((e) => e.event === 'conversation' && e.data.wa_id === CUSTOMER);
      assert.equal(
        (await call(a, 'POST', '/sandbox/inbound', token, { from: CUSTOMER, type: 'text', text: { body: 'hi' } }))
          .status,
        201,
      );
      await stream.next((e) => e.event === 'conversation' && e.data.wa_id === CUSTOMER);
      const heard = forCustomer().length;
      const sent = await call(a, 'POST', '/v1/messages', token, {
        to: CUSTOMER,
        type: 'text',
        text: { body: 'hello from node A' },
      });
      assert.equal(sent.status, 201);
      const id = sent.body.messages[0].id as string;
      // Read through node B as the console would, once its events said something changed.
      const status = async () =>
        (await call(b, 'GET', `/x/v1/conversations/${CUSTOMER}/messages`, token)).body.messages.find(
          (m: { id: string }) => m.id === id,
        )?.status;
      await eventually(async () => ((await status()) === 'read' ? true : undefined), 10_000);
      // Accepted, sent, delivered and read: at least three batches apart, each heard on node B.
      await eventually(async () => (forCustomer().length - heard >= 3 ? true : undefined), 3000);
    } finally {
      stream.close();
    }
  });
});
