// GET /x/v1/webhooks/deliveries/summary: pending, delivered and failed deliveries and the oldest pending one's age,
// as a real receiver on loopback takes callbacks, refuses them and is given up on; the figures are read at most
// every 5 s and shared with the metrics; admin only.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { assertError } from '../support/assertions.js';
import { eventually, startAdminNode, suiteScope, type TestNode } from '../support/harness.js';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.js';

const CACHE_MS = 5000;

describe('delivery summary', () => {
  let t: TestNode;
  let admin: string;
  let receiver: WebhookReceiver;
  let customer = 0;
  const suite = suiteScope();
  before(async () => {
    receiver = await startWebhookReceiver();
    suite.after(() => receiver.close());
    ({ t, admin } = await startAdminNode(suite));
  });

  const settings = async (body: object) =>
    assert.equal(
      (await t.request({ method: 'PATCH', url: '/v1/settings/application', token: admin, body })).status,
      200,
    );
  const summary = async () => {
    const response = await t.request({ url: '/x/v1/webhooks/deliveries/summary', token: admin });
    assert.equal(response.status, 200, response.text);
    assert.equal(response.body.meta.api_status, 'experimental');
    return response.body.deliveries;
  };
  /** A customer writes: one `message` callback in the outbox. */
  const callback = async () => {
    const response = await t.request({
      method: 'POST',
      url: '/sandbox/inbound',
      token: admin,
      body: { from: `1631555${7100 + ++customer}`, type: 'text', text: { body: 'hi' } },
    });
    assert.equal(response.status, 201, response.text);
  };
  const later = async (ms: number) => {
    t.clock.advance(ms);
    await t.node.webhooks.dispatcher.runOnce();
  };

  it('starts at zero with no oldest age', async () => {
    assert.deepEqual(await summary(), { pending: 0, delivered: 0, failed: 0, oldest_pending_age_seconds: null });
  });

  it("counts callbacks waiting for a webhook URL, and the oldest one's age, refreshed at most every 5 s", async () => {
    await callback();
    await callback();
    assert.equal((await summary()).pending, 0, 'the figures read a moment ago are still served');
    t.clock.advance(CACHE_MS);
    await callback();
    assert.deepEqual(await summary(), { pending: 3, delivered: 0, failed: 0, oldest_pending_age_seconds: 5 });
    const metrics = await t.request({ url: '/metrics?format=prometheus', token: admin });
    assert.match(
      metrics.text,
      /^openprem_webhook_queue_depth\{node="[0-9a-f]+"\} 3$/m,
      'the metrics show the same read',
    );
  });

  it('counts what the receiver took, and what was given up on', async () => {
    await settings({
      webhooks: { url: receiver.url },
      callback_persist: false,
      callback_backoff_delay_ms: 1000,
      max_callback_backoff_delay_ms: 1000,
    });
    await later(0);
    await eventually(async () => (receiver.received.length === 3 ? true : undefined));
    receiver.answerWith(500);
    await callback();
    await later(0);
    await eventually(async () => (receiver.received.length === 4 ? true : undefined));
    await later(1000);
    await eventually(async () => (receiver.received.length === 5 ? true : undefined));
    await eventually(async () => {
      t.clock.advance(CACHE_MS);
      const now = await summary();
      return now.failed === 1 ? now : undefined;
    }).then((now) => assert.deepEqual(now, { pending: 0, delivered: 3, failed: 1, oldest_pending_age_seconds: null }));
  });

  it('is for admins only', async () => {
    assertError(await t.request({ url: '/x/v1/webhooks/deliveries/summary', token: await t.userToken() }), 403, 1005);
    assertError(await t.request({ url: '/x/v1/webhooks/deliveries/summary' }), 401, 1005);
    // "summary" is this route, not a delivery id.
    assert.equal(
      (await t.request({ url: '/x/v1/webhooks/deliveries/summary', token: admin })).body.deliveries.delivered,
      3,
    );
  });
});
