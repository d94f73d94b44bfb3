// Which answers of the receiver count as a delivery: any 2xx, from 200 to 299, and nothing else, not even 300
// (docs/api/choices.md#webhooks). Redirects in general: webhooks.test.ts. Found missing by the mutation run
// (README.md#mutation-testing).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eventually, startTestNode, suiteScope, type TestNode } from '../support/harness.js';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.js';

describe("the receiver's status code", () => {
  const suite = suiteScope();
  let t: TestNode;
  let admin: string;
  let receiver: WebhookReceiver;
  let number = 2000;

  /** A no_wait contact check, whose result is one `contacts` callback; answers the delivery once attempted. */
  const deliverOne = async () => {
    const input = `+1 631 555 ${++number}`;
    const response = await t.request({
      method: 'POST',
      url: '/v1/contacts',
      token: admin,
      body: { contacts: [input] },
    });
    assert.equal(response.status, 200, response.text);
    await t.node.lookupWorker.runOnce();
    await t.node.webhooks.dispatcher.runOnce();
    return eventually(async () => {
      const list = (await t.request({ url: '/x/v1/webhooks/deliveries', token: admin })).body.deliveries as {
        id: number;
      }[];
      for (const { id } of list) {
        const detail = (await t.request({ url: `/x/v1/webhooks/deliveries/${id}`, token: admin })).body.deliveries[0];
        if (detail.payload.contacts?.[0]?.input === input && detail.attempts === 1) return detail;
      }
      return undefined;
    });
  };

  before(async () => {
    receiver = await startWebhookReceiver();
    t = await startTestNode(suite);
    admin = await t.adminToken();
    const settings = { webhooks: { url: receiver.url }, callback_backoff_delay_ms: 3000, callback_persist: true };
    assert.equal(
      (await t.request({ method: 'PATCH', url: '/v1/settings/application', token: admin, body: settings })).status,
      200,
    );
  });
  after(() => receiver.close());

  it('any 2xx is a delivery', async () => {
    for (const status of [200, 204, 299]) {
      receiver.answerWith(status);
      assert.equal((await deliverOne()).state, 'delivered', `${status}`);
    }
  });

  it('300 and the error codes are failed attempts, retried later', async () => {
    for (const status of [300, 400, 500]) {
      receiver.answerWith(status);
      const delivery = await deliverOne();
      assert.equal(delivery.state, 'pending', `${status}`);
      assert.equal(delivery.last_status_code, status);
      t.clock.advance(3_600_000);
      receiver.answerWith(200);
      await t.node.webhooks.dispatcher.runOnce();
    }
  });
});
