// A steady, bounded load of sends spread over three node processes while one of them is killed with SIGKILL and
// started again: every acknowledged message is stored once, every status callback it causes reaches the receiver,
// and the only callbacks that arrive twice are ones the killed node had posted but not yet recorded as delivered.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  ALL_STATUS_CALLBACKS,
  call,
  login,
  missingStatuses,
  SQLITE_SKIP,
  startCluster,
  storedMessages,
  untilEveryNodeHas,
  type Cluster,
} from '../support/cluster.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { eventually, suiteScope } from '../support/harness.js';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.js';

const CUSTOMER = '16315554242';
// A tick every 75 ms sends one message through each live node (40 a second with three): ≈200 messages and ≈600
// callbacks in all, enough that the victim has requests and deliveries in flight when it dies, small enough for a
// shared 2-core machine and loopback only. Counted in ticks, not seconds, so a slow machine sends as many.
const TICK_MS = 75;
const KILL_AT_TICK = 25;
const RESTART_AT_TICK = 45;
// Ticks after the restarted node is back, so that it serves sends too.
const TICKS_AFTER_RESTART = 15;
const VICTIM = 1;
// Callbacks the killed node had claimed wait for their lease (30 s: MIN_LEASE_MS in src/outbox/dispatcher.ts).
const DELIVERY_BOUND_MS = 60_000;

describe('a node killed under load', { skip: SQLITE_SKIP }, () => {
  let scratch: string;
  let database: TestDatabase;
  let receiver: WebhookReceiver;
  let cluster: Cluster;

  // First of the suite's after hooks: the nodes die before what they use goes.
  const suite = suiteScope();
  before(async () => {
    scratch = await mkdtemp(path.join(os.tmpdir(), 'openprem-kill-'));
    database = await createTestDatabase(scratch);
    receiver = await startWebhookReceiver();
    cluster = await startCluster(suite, 3, {
      ...database.env,
      WA_SANDBOX_DELAYS: 'sent:0,delivered:50,read:100',
      WA_SETTINGS_REFRESH_MS: '200',
    });
  });
  after(async () => {
    await receiver?.close();
    await database?.drop();
    await rm(scratch, { recursive: true, force: true });
  });

  it('loses no acknowledged message or callback, and duplicates only what the dead node had in flight', async (t) => {
    const urls = () => cluster.nodes.filter((node) => node.alive).map((node) => node.url);
    const token = await login(cluster.nodes[0]!.url);
    assert.equal(
      (
        await call(
          cluster.nodes[0]!.url,
          'PATCH',
          '/v1/settings/application',
          token,
          ALL_STATUS_CALLBACKS(receiver.url),
        )
      ).status,
      200,
    );
    assert.equal(
      (
        await call(cluster.nodes[0]!.url, 'POST', '/sandbox/inbound', token, {
          from: CUSTOMER,
          type: 'text',
          text: { body: 'hi' },
        })
      ).status,
      201,
    );
    // Every node sees the webhook URL before the load starts.
    await untilEveryNodeHas(urls(), token, (settings) => settings.webhooks.url === receiver.url);

    const acknowledged: string[] = [];
    const refused: number[] = [];
    let cut = 0;
    let killedAt = Infinity;
    let restarted: Promise<void> | null = null;
    let backAtTick = Infinity;
    let sent = 0;
    const load: Promise<void>[] = [];
    const send = (url: string) => {
      sent += 1;
      const answer = call(url, 'POST', '/v1/messages', token, { to: CUSTOMER, text: { body: `message ${sent}` } });
      return answer.then(
        (a) => void (a.status === 201 ? acknowledged.push(a.body.messages[0].id) : refused.push(a.status)),
        () => {
          cut += 1;
        },
      );
    };
    for (let tick = 0; tick < backAtTick + TICKS_AFTER_RESTART; tick++) {
      for (const url of urls()) load.push(send(url));
      // Right after the tick's sends: the victim dies with a request in flight.
      if (tick === KILL_AT_TICK) {
        killedAt = Date.now();
        await cluster.kill(VICTIM);
      }
      if (tick === RESTART_AT_TICK) restarted = cluster.restart(VICTIM);
      // Paces the load: one round of sends per tick (a sleep on purpose).
      await new Promise((resolve) => setTimeout(resolve, TICK_MS));
      if (backAtTick === Infinity && cluster.nodes[VICTIM]!.alive && tick > KILL_AT_TICK) backAtTick = tick;
    }
    await Promise.all(load);
    await restarted;
    // Only requests cut by the kill may fail; every other send is acknowledged.
    assert.deepEqual(refused, [], 'no send was refused');
    assert.ok(cut <= 3, `${cut} requests were cut by the kill (at most those of the tick it followed)`);
    assert.equal(acknowledged.length + cut, sent);

    // Stored once each (the id is the primary key; this also proves none is missing).
    assert.equal(new Set(acknowledged).size, acknowledged.length);
    assert.equal(await storedMessages(database.env.WA_DB_URL!, acknowledged), acknowledged.length);

    // sent, delivered and read reach the receiver for every acknowledged message.
    await eventually(
      async () => (missingStatuses(receiver.received, acknowledged).length === 0 ? true : undefined),
      DELIVERY_BOUND_MS,
    ).catch(() => {
      const missing = missingStatuses(receiver.received, acknowledged);
      assert.fail(`${missing.length} status callbacks never arrived, e.g. ${missing.slice(0, 3).join(', ')}`);
    });

    // A delivery id that arrived twice was posted before the kill (by the victim, whose record of the 200 died
    // with it) and again after it, by the node that reclaimed the row when the lease ran out. Nothing arrives
    // twice while every node that posted it is alive, and nothing arrives three times.
    const arrivals = new Map<string, number[]>();
    for (const request of receiver.received) {
      const id = String(request.headers['x-openprem-delivery-id']);
      arrivals.set(id, [...(arrivals.get(id) ?? []), request.receivedAt]);
    }
    const duplicated = [...arrivals.entries()].filter(([, times]) => times.length > 1);
    for (const [id, times] of duplicated) {
      assert.equal(times.length, 2, `delivery ${id} arrived ${times.length} times`);
      assert.ok(times[0]! <= killedAt + 50, `delivery ${id}: first copy before the kill`);
      assert.ok(times[1]! > killedAt, `delivery ${id}: second copy after the kill`);
    }
    // The victim posts at most max_concurrent_requests (6) at once, and records outcomes within one event-loop
    // turn of the answer: the copies in doubt are those few.
    assert.ok(duplicated.length <= 12, `${duplicated.length} deliveries arrived twice`);
    t.diagnostic(
      `${acknowledged.length} sends acknowledged, ${cut} cut by the kill, ${receiver.received.length} callback requests, ${duplicated.length} delivered twice`,
    );
  });
});
