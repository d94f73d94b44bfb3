// The garbage collector on a real database: ended webhook deliveries go after WA_RETENTION_WEBHOOKS_DAYS, finished
// messages and expired conversations after WA_RETENTION_MESSAGES_DAYS, and nothing that can still change goes at
// all; `garbagecollector_enable.messages: false` keeps every message from the automatic runs, and PUT
// /v1/services/message/gc (Meta's collection) runs the collector once by hand.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { assertError } from '../support/assertions.js';
import { ADMIN_PASSWORD, suiteScope } from '../support/harness.js';
import { startMessagingScenario, type MessagingScenario } from '../support/messaging.js';

const DAY = 24 * 60 * 60 * 1000;

describe('garbage collector', () => {
  let s: MessagingScenario;
  const suite = suiteScope();
  before(async () => {
    s = await startMessagingScenario(suite, {
      env: { WA_RETENTION_MESSAGES_DAYS: '30', WA_RETENTION_WEBHOOKS_DAYS: '7' },
    });
    await s.settings({ callback_backoff_delay_ms: 1000, max_callback_backoff_delay_ms: 1000 });
  });

  const db = () => s.t.node.db.db;
  const messageIds = async () => (await db().selectFrom('messages').select('id').execute()).map((r) => r.id).sort();
  const deliveryStates = async () =>
    (await db().selectFrom('webhook_outbox').select('state').execute()).map((r) => r.state).sort();
  const count = async (table: 'webhook_attempts' | 'conversations') =>
    Number(
      (
        await db()
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  it('keeps what can still change and forgets what ended, each after its retention', async () => {
    const inboundId = await s.inbound({ from: '16315557001', type: 'text', text: { body: 'hello' } });
    await s.advance(0);
    const readId = await s.send({ to: '16315557001', type: 'text', text: { body: 'hi' } });
    await s.customer('16315557002', { online: false });
    await s.inbound({ from: '16315557002', type: 'text', text: { body: 'hello' } });
    await s.advance(0);
    const heldId = await s.send({ to: '16315557002', type: 'text', text: { body: 'still on its way' } });
    await s.advance(5000);
    // A callback the receiver refuses stays pending, however old it gets.
    s.receiver.answerWith(500);
    await s.inbound({ from: '16315557003', type: 'text', text: { body: 'never delivered' } });
    await s.advance(0);
    s.receiver.answerWith(200);
    const before = await messageIds();
    assert.ok((await deliveryStates()).includes('pending'));
    assert.ok((await count('webhook_attempts')) > 0);

    s.t.clock.advance(8 * DAY);
    const week = await s.t.node.garbageCollector.collectAll();
    assert.ok(week.webhook_deliveries > 0);
    assert.equal(week.messages, 0, 'messages are kept for 30 days');
    assert.deepEqual(await deliveryStates(), ['pending'], 'only the pending delivery is left');
    assert.equal(await count('webhook_attempts'), 1, "the pending delivery's attempt log stays with it");
    assert.deepEqual(await messageIds(), before);

    s.t.clock.advance(23 * DAY);
    const month = await s.t.node.garbageCollector.collectAll();
    assert.equal(month.messages, before.length - 1);
    assert.deepEqual(await messageIds(), [heldId], 'the undelivered message can still change: it stays');
    assert.ok(month.conversations > 0);
    assert.equal(await count('conversations'), 0);
    assert.ok(!(await messageIds()).includes(readId));
    // What the collector forgot answers as unknown. A month on, the first login's token has expired.
    const admin = await s.t.login('admin', ADMIN_PASSWORD);
    const marked = await s.t.request({
      method: 'PUT',
      url: `/v1/messages/${inboundId}`,
      token: admin,
      body: { status: 'read' },
    });
    assertError(marked, 404, 1006);

    const metrics = await s.t.request({ url: '/metrics?format=prometheus', token: admin });
    assert.match(metrics.text, /^openprem_gc_deleted_total\{.*kind="messages".*\} [1-9]/m);
  });

  it('keeps every message while garbagecollector_enable.messages is false', async () => {
    let admin = await s.t.login('admin', ADMIN_PASSWORD);
    const settings = (body: object) =>
      s.t.request({ method: 'PATCH', url: '/v1/settings/application', token: admin, body });
    const off = await settings({ garbagecollector_enable: { messages: false } });
    assert.equal(off.status, 200, off.text);
    assert.equal(
      (
        await s.t.request({
          method: 'POST',
          url: '/sandbox/inbound',
          token: admin,
          body: { from: '16315557004', type: 'text', text: { body: 'keep me' } },
        })
      ).status,
      201,
    );
    await s.advance(0);
    const kept = await messageIds();
    s.t.clock.advance(40 * DAY);
    const collected = await s.t.node.garbageCollector.collectAll();
    assert.equal(collected.messages, 0);
    assert.equal(collected.conversations, 0);
    assert.deepEqual(await messageIds(), kept);
    admin = await s.t.login('admin', ADMIN_PASSWORD);
    assert.equal((await settings({ garbagecollector_enable: { messages: true } })).status, 200);
  });

  it('PUT /v1/services/message/gc collects now, messages included while the automatic switch is off', async () => {
    let admin = await s.t.login('admin', ADMIN_PASSWORD);
    const settings = (body: object) =>
      s.t.request({ method: 'PATCH', url: '/v1/settings/application', token: admin, body });
    assert.equal((await settings({ garbagecollector_enable: { messages: false } })).status, 200);
    const inbound = await s.t.request({
      method: 'POST',
      url: '/sandbox/inbound',
      token: admin,
      body: { from: '16315557005', type: 'text', text: { body: 'old' } },
    });
    assert.equal(inbound.status, 201, inbound.text);
    const oldId = inbound.body.messages[0].id as string;
    await s.advance(0);
    s.t.clock.advance(40 * DAY);
    assert.equal((await s.t.node.garbageCollector.collectAll()).messages, 0, 'the automatic run keeps it');
    admin = await s.t.login('admin', ADMIN_PASSWORD);

    const run = await s.t.request({ method: 'PUT', url: '/v1/services/message/gc', token: admin });
    assert.equal(run.status, 200, run.text);
    assert.ok(run.body.gc.messages >= 1, run.text);
    assert.deepEqual(Object.keys(run.body.gc).sort(), [
      'cloud_webhook_keys',
      'cloud_webhooks',
      'conversations',
      'messages',
      'webhook_deliveries',
    ]);
    assert.ok(!(await messageIds()).includes(oldId));
    // The unversioned path of the v2.41.2 notes does the same; nothing old is left for it.
    const again = await s.t.request({ method: 'PUT', url: '/services/message/gc', token: admin });
    assert.equal(again.status, 200, again.text);
    assert.equal(again.body.gc.messages, 0);
    assert.equal((await settings({ garbagecollector_enable: { messages: true } })).status, 200);
  });
});
