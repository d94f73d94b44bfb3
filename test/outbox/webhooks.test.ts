// Durable webhooks end to end: a real receiver on loopback, callbacks written with their cause, linear backoff on
// the injected clock, callback_persist, signatures, concurrency, leases of dead nodes, and the delivery log.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { afterEach, before, beforeEach, describe, it } from 'node:test';
import { assertError } from '../support/assertions.js';
import { eventually, startAdminNode, suiteScope, type TestNode } from '../support/harness.js';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.js';

describe('webhook delivery', () => {
  let t: TestNode;
  let admin: string;
  let receiver: WebhookReceiver;
  let number = 1000;

  const settings = (body: object) =>
    t.request({ method: 'PATCH', url: '/v1/settings/application', token: admin, body });
  /** A no_wait contact check: its result becomes one `contacts` callback. */
  const queueCallback = async () => {
    const input = `+1 631 555 ${++number}`;
    const response = await t.request({
      method: 'POST',
      url: '/v1/contacts',
      token: admin,
      body: { contacts: [input] },
    });
    assert.equal(response.body.contacts[0].status, 'processing');
    await t.node.lookupWorker.runOnce();
    return input;
  };
  const deliveries = async (query = '') =>
    (await t.request({ url: `/x/v1/webhooks/deliveries${query}`, token: admin })).body.deliveries as any[];
  const deliveryOf = async (input: string) => {
    for (const d of await deliveries()) {
      const detail = (await t.request({ url: `/x/v1/webhooks/deliveries/${d.id}`, token: admin })).body.deliveries[0];
      if (detail.payload.contacts?.[0]?.input === input) return detail;
    }
    return undefined;
  };
  const receivedFor = (input: string) => receiver.received.filter((r) => r.body?.contacts?.[0]?.input === input);

  const suite = suiteScope();
  before(async () => {
    receiver = await startWebhookReceiver();
    suite.after(() => receiver.close());
    ({ t, admin } = await startAdminNode(suite));
  });
  beforeEach(async () => {
    receiver.answerWith(200);
    assert.equal(
      (
        await settings({
          webhooks: { url: receiver.url, secret: null },
          callback_backoff_delay_ms: 3000,
          max_callback_backoff_delay_ms: 900000,
          callback_persist: true,
        })
      ).status,
      200,
    );
  });
  afterEach(async () => {
    // Leave nothing due for the next test.
    t.clock.advance(3_600_000);
    await t.node.webhooks.dispatcher.runOnce();
  });

  it('delivers a no_wait contacts result as {"contacts":[...]} with a stable delivery id', async () => {
    const input = await queueCallback();
    const [callback] = await eventually(async () => (receivedFor(input).length ? receivedFor(input) : undefined));
    assert.deepEqual(callback!.body, { contacts: [{ input, status: 'valid', wa_id: `1631555${number}` }] });
    assert.equal(callback!.headers['content-type'], 'application/json');
    assert.match(String(callback!.headers['user-agent']), /^OpenPrem\//);
    assert.match(String(callback!.headers['x-openprem-delivery-id']), /^[0-9a-f-]{36}$/);
    assert.equal(callback!.headers['x-hub-signature-256'], undefined);
    const detail = await eventually(async () => {
      const d = await deliveryOf(input);
      return d?.state === 'delivered' ? d : undefined;
    });
    assert.equal(detail.id, callback!.headers['x-openprem-delivery-id']);
    assert.equal(detail.kind, 'contacts');
    assert.equal(detail.attempts, 1);
    assert.equal(detail.attempt_log.length, 1);
    assert.equal(detail.attempt_log[0].status_code, 200);
    assert.equal(detail.attempt_log[0].response_body, 'ok');
  });

  it('signs the raw body with webhooks.secret', async () => {
    const secret = 'a-shared-secret-of-32-characters';
    assert.equal((await settings({ webhooks: { secret } })).status, 200);
    const input = await queueCallback();
    const [callback] = await eventually(async () => (receivedFor(input).length ? receivedFor(input) : undefined));
    const expected = `sha256=${createHmac('sha256', secret).update(callback!.raw).digest('hex')}`;
    assert.equal(callback!.headers['x-hub-signature-256'], expected);
  });

  it('retries failures with the linear backoff of the settings, then delivers', async () => {
    receiver.answerWith(500, 'broken');
    const input = await queueCallback();
    const pendingAfter = async (attempts: number) =>
      eventually(async () => {
        const d = await deliveryOf(input);
        return d?.attempts === attempts && d.state === 'pending' ? d : undefined;
      });
    const first = await pendingAfter(1);
    assert.equal(first.next_attempt_at, t.clock.now() + 3000);
    assert.equal(first.last_status_code, 500);
    // Not due yet: nothing is sent before the backoff has passed.
    t.clock.advance(2999);
    await t.node.webhooks.dispatcher.runOnce();
    assert.equal(receivedFor(input).length, 1);
    t.clock.advance(1);
    await t.node.webhooks.dispatcher.runOnce();
    const second = await pendingAfter(2);
    assert.equal(second.next_attempt_at, t.clock.now() + 6000);
    receiver.answerWith(200);
    t.clock.advance(6000);
    await t.node.webhooks.dispatcher.runOnce();
    const done = await eventually(async () => {
      const d = await deliveryOf(input);
      return d?.state === 'delivered' ? d : undefined;
    });
    assert.equal(done.attempts, 3);
    assert.deepEqual(
      done.attempt_log.map((a: any) => a.status_code),
      [500, 500, 200],
    );
    assert.equal(done.attempt_log[0].response_body, 'broken');
    const ids = new Set(receivedFor(input).map((r) => r.headers['x-openprem-delivery-id']));
    assert.equal(ids.size, 1, 'the delivery id is stable across retries');
  });

  it('counts a redirect as a failed attempt: not followed, retried, then failed, its status in the attempt log', async () => {
    // The retry that already waited the capped delay is the last: two attempts, then failed.
    assert.equal(
      (
        await settings({
          callback_persist: false,
          callback_backoff_delay_ms: 1000,
          max_callback_backoff_delay_ms: 1000,
        })
      ).status,
      200,
    );
    const elsewhere = await startWebhookReceiver();
    try {
      for (const status of [301, 302, 304, 307, 308]) {
        receiver.answerWith(status, 'moved', { location: elsewhere.url });
        const input = await queueCallback();
        const first = await eventually(async () => {
          const d = await deliveryOf(input);
          return d?.attempts === 1 ? d : undefined;
        });
        assert.equal(first.state, 'pending', `${status} is not a delivery`);
        assert.equal(first.last_status_code, status);
        assert.equal(first.next_attempt_at, t.clock.now() + 1000);
        t.clock.advance(1000);
        await t.node.webhooks.dispatcher.runOnce();
        const failed = await eventually(async () => {
          const d = await deliveryOf(input);
          return d?.attempts === 2 ? d : undefined;
        });
        assert.equal(failed.state, 'failed', `${status} twice gives up`);
        assert.deepEqual(
          failed.attempt_log.map((a: any) => a.status_code),
          [status, status],
        );
        assert.equal(receivedFor(input).length, 2, `both attempts of ${status} went to the configured URL`);
      }
      assert.equal(elsewhere.received.length, 0, 'no redirect was followed');
    } finally {
      await elsewhere.close();
    }
  });

  it('keeps callbacks while the receiver is down and delivers them when it is back', async () => {
    await receiver.stop();
    const inputs = [await queueCallback(), await queueCallback(), await queueCallback()];
    await eventually(async () =>
      (await deliveries('?state=pending')).filter((d) => d.attempts >= 1).length >= 3 ? true : undefined,
    );
    const failed = (await deliveries('?state=pending'))[0];
    assert.match(failed.last_error, /ECONNREFUSED/);
    await receiver.restart();
    t.clock.advance(3000);
    await t.node.webhooks.dispatcher.runOnce();
    for (const input of inputs) await eventually(async () => (receivedFor(input).length ? true : undefined));
  });

  it('without callback_persist gives up after the capped retry; replay sends it again', async () => {
    assert.equal(
      (
        await settings({
          callback_persist: false,
          callback_backoff_delay_ms: '1000',
          max_callback_backoff_delay_ms: '2000',
        })
      ).status,
      200,
    );
    receiver.answerWith(503);
    const input = await queueCallback();
    for (const wait of [1000, 2000]) {
      await eventually(async () =>
        (await deliveryOf(input))?.attempts === (wait === 1000 ? 1 : 2) ? true : undefined,
      );
      t.clock.advance(wait);
      await t.node.webhooks.dispatcher.runOnce();
    }
    const failed = await eventually(async () => {
      const d = await deliveryOf(input);
      return d?.state === 'failed' ? d : undefined;
    });
    assert.equal(failed.attempts, 3);
    assert.ok((await deliveries('?state=failed')).some((d) => d.id === failed.id));

    receiver.answerWith(200);
    const replay = await t.request({
      method: 'POST',
      url: `/x/v1/webhooks/deliveries/${failed.id}/replay`,
      token: admin,
    });
    assert.deepEqual(replay.body.replayed, 1);
    await eventually(async () => ((await deliveryOf(input))?.state === 'delivered' ? true : undefined));
  });

  it('replays every failed delivery at once', async () => {
    assert.equal(
      (
        await settings({
          callback_persist: false,
          callback_backoff_delay_ms: 1000,
          max_callback_backoff_delay_ms: 1000,
        })
      ).status,
      200,
    );
    receiver.answerWith(500);
    const inputs = [await queueCallback(), await queueCallback()];
    for (let i = 0; i < 3; i++) {
      t.clock.advance(1000);
      await t.node.webhooks.dispatcher.runOnce();
    }
    await eventually(async () => ((await deliveries('?state=failed&kind=contacts')).length >= 2 ? true : undefined));
    receiver.answerWith(200);
    const replay = await t.request({ method: 'POST', url: '/x/v1/webhooks/deliveries/replay', token: admin });
    assert.ok(replay.body.replayed >= 2);
    for (const input of inputs)
      await eventually(async () => ((await deliveryOf(input))?.state === 'delivered' ? true : undefined));
    assert.deepEqual(await deliveries('?state=failed'), []);
  });

  it('never has more than webhooks.max_concurrent_requests in flight', async () => {
    const release = receiver.hold();
    const before = receiver.maxInFlight;
    const inputs: string[] = [];
    for (let i = 0; i < 10; i++) inputs.push(await queueCallback());
    await eventually(async () => (receiver.maxInFlight >= 6 ? true : undefined));
    release();
    for (const input of inputs) await eventually(async () => (receivedFor(input).length ? true : undefined));
    assert.equal(Math.max(before, receiver.maxInFlight), 6);
  });

  it('holds callbacks while no URL is set, then delivers them', async () => {
    assert.equal((await settings({ webhooks: { url: null } })).status, 200);
    const input = await queueCallback();
    await t.node.webhooks.dispatcher.runOnce();
    assert.equal(receivedFor(input).length, 0);
    assert.equal((await deliveryOf(input))?.state, 'pending');
    assert.equal((await settings({ webhooks: { url: receiver.url } })).status, 200);
    await t.node.webhooks.dispatcher.runOnce();
    await eventually(async () => (receivedFor(input).length ? true : undefined));
  });

  it('retries a delivery whose node died holding its lease, once the lease has run out', async () => {
    await t.node.webhooks.dispatcher.stop();
    const input = await queueCallback();
    // A node claims it and dies before answering: the row stays leased.
    const claimed = await t.node.webhooks.outbox.claimDue(t.clock.now(), 100, 60_000);
    assert.ok(claimed.length >= 1);
    t.node.webhooks.dispatcher.start();
    await t.node.webhooks.dispatcher.runOnce();
    assert.equal(receivedFor(input).length, 0, 'a live lease is respected');
    t.clock.advance(60_001);
    await t.node.webhooks.dispatcher.runOnce();
    await eventually(async () => (receivedFor(input).length === 1 ? true : undefined));
  });

  it('shows the backlog and the attempts in the metrics', async () => {
    const text = (await t.request({ url: '/metrics?format=prometheus', token: admin })).text;
    assert.match(text, /^openprem_webhook_attempts_total\{result="delivered",node="[0-9a-f]+"\} [1-9]\d*$/m);
    assert.match(text, /^openprem_webhook_queue_depth\{node="[0-9a-f]+"\} \d+$/m);
    assert.match(text, /^openprem_webhook_oldest_pending_age_seconds\{node="[0-9a-f]+"\} [\d.]+$/m);
    assert.match(text, /^openprem_webhook_delivery_latency_seconds_count\{node="[0-9a-f]+"\} [1-9]\d*$/m);
  });

  it("names the message a delivery is about: the inbound message or the status's message, none for contacts", async () => {
    const input = await queueCallback();
    const inbound = await t.request({
      method: 'POST',
      url: '/sandbox/inbound',
      token: admin,
      body: { from: '16315557001', type: 'text', text: { body: 'hi' } },
    });
    assert.equal(inbound.status, 201, inbound.text);
    const inboundId = inbound.body.messages[0].id;
    const byKind = async (kind: string) => (await deliveries(`?kind=${kind}`)).find((d) => d.message_id === inboundId);
    assert.ok(await byKind('message'), 'the inbound message callback names it');
    assert.equal((await deliveryOf(input)).message_id, null);
    const detail = (await t.request({ url: `/x/v1/webhooks/deliveries/${(await byKind('message')).id}`, token: admin }))
      .body.deliveries[0];
    assert.equal(detail.message_id, inboundId);
    assert.equal(detail.payload.messages[0].id, inboundId);
    const sent = await t.request({
      method: 'POST',
      url: '/v1/messages',
      token: admin,
      body: { to: '16315557001', type: 'text', text: { body: 'hello' } },
    });
    assert.equal(sent.status, 201, sent.text);
    t.clock.advance(2000);
    await t.node.sandboxNetwork!.runOnce();
    const statuses = (await deliveries('?kind=status')).filter((d) => d.message_id === sent.body.messages[0].id);
    assert.ok(statuses.length >= 1, 'the status callbacks name their message');
  });

  it('pages the delivery log, validates its filters and answers 404 for unknown ids', async () => {
    const page = await t.request({ url: '/x/v1/webhooks/deliveries?limit=2', token: admin });
    assert.equal(page.body.deliveries.length, 2);
    assert.equal(page.body.meta.api_status, 'experimental');
    const next = await t.request({
      url: `/x/v1/webhooks/deliveries?limit=2&before=${page.body.paging.before}`,
      token: admin,
    });
    assert.notEqual(next.body.deliveries[0].id, page.body.deliveries[0].id);
    assertError(await t.request({ url: '/x/v1/webhooks/deliveries?state=lost', token: admin }), 400, 1009, /state/);
    assertError(await t.request({ url: '/x/v1/webhooks/deliveries?limit=0', token: admin }), 400, 1009, /limit/);
    assertError(await t.request({ url: '/x/v1/webhooks/deliveries/nope', token: admin }), 404, 1006);
    assertError(
      await t.request({ method: 'POST', url: '/x/v1/webhooks/deliveries/nope/replay', token: admin }),
      404,
      1006,
    );
  });
});
