// The whole loop through the fake Graph server with its webhooks on, over real HTTP both ways: a send through the
// node comes back to the integration's receiver as sent, delivered and read callbacks (Meta's signed status
// webhooks, translated), and a customer's message posted at the fake's control door arrives as an On-Prem inbound
// callback that the business can mark read at Graph. The README's template send (a URL button, index "0") passes
// Meta's schema as the fake applies it.
import assert from 'node:assert/strict';
import { before, beforeEach, describe, it } from 'node:test';
import { startCloudNode, type CloudNode } from '../support/cloud-node.js';
import { startFakeGraph } from '../support/fake-graph.js';
import { eventually, suiteScope } from '../support/harness.js';
import { applicationSettings } from '../support/messaging.js';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.js';

const CUSTOMER = '16315551234';

/** The README's template send (section "Messaging with the sandbox"), with the button index as given. */
function readmeTemplate(index: string | number) {
  return {
    to: '+1 631 555 9876',
    type: 'template',
    template: {
      namespace: 'openprem_sandbox',
      name: 'order_update',
      language: { policy: 'deterministic', code: 'en_US' },
      components: [
        {
          type: 'body',
          parameters: [
            { type: 'text', text: 'Kerry' },
            { type: 'text', text: '#1234' },
          ],
        },
        { type: 'button', sub_type: 'url', index, parameters: [{ type: 'text', text: '1234' }] },
      ],
    },
  };
}

describe("cloud gateway with the fake Graph server posting Meta's webhooks", () => {
  let c: CloudNode;
  let receiver: WebhookReceiver;
  const suite = suiteScope();
  before(async () => {
    receiver = await startWebhookReceiver();
    suite.after(() => receiver.close());
    c = await startCloudNode(suite, { webhooks: true });
    await applicationSettings(
      c.t,
      c.admin,
    )({ webhooks: { url: receiver.url, message: { sent: true, delivered: true, read: true } } });
  });
  beforeEach(() => assert.deepEqual(c.fake.schemaViolations, []));

  const send = async (body: unknown): Promise<string> => {
    const response = await c.t.request({ method: 'POST', url: '/v1/messages', token: c.admin, body });
    assert.equal(response.status, 201, response.text);
    return response.body.messages[0].id as string;
  };
  /** Polls until `find` sees what it looks for in the callbacks received so far. */
  const received = <T>(find: (bodies: any[]) => T | undefined): Promise<T> =>
    eventually(async () => {
      await c.fake.webhooksSettled();
      await c.t.node.cloudInbound!.runOnce();
      await c.t.node.webhooks.dispatcher.runOnce();
      return find(receiver.received.map((r) => r.body));
    });
  const statusesOf = (id: string) => (bodies: any[]) => {
    const statuses = bodies.flatMap((b) => (b.statuses ?? []) as any[]).filter((s) => s.id === id);
    return statuses.length >= 3 ? statuses : undefined;
  };
  const postInbound = async (body: unknown) => {
    const response = await fetch(`${c.fake.url}/fake/inbound`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as any };
  };

  it('a send comes back as sent, delivered and read On-Prem status callbacks', async () => {
    const id = await send({ to: CUSTOMER, type: 'text', text: { body: 'It ships today.' } });
    const statuses = await received(statusesOf(id));
    assert.deepEqual(
      statuses.map((s) => s.status),
      ['sent', 'delivered', 'read'],
    );
    for (const status of statuses) {
      assert.equal(status.recipient_id, CUSTOMER);
      assert.equal(status.type, 'message');
      assert.match(status.timestamp, /^\d{10}$/);
    }
    assert.deepEqual(statuses[0].pricing, { billable: false, pricing_model: 'PMP', category: 'service' });
    assert.equal(statuses[1].conversation.id, statuses[0].conversation.id);
    assert.equal(statuses[2].pricing, undefined, 'read is not a billing event');
    const row = await c.t.node.db.db
      .selectFrom('messages')
      .select('status')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    assert.equal(row.status, 'read');
    assert.ok(
      c.fake.postedWebhooks.every((w) => w.status === 200),
      JSON.stringify(c.fake.postedWebhooks.map((w) => w.status)),
    );
  });

  it('the README\'s template send passes, with the button index as "0" or 0', async () => {
    for (const index of ['0', 0]) {
      const id = await send(readmeTemplate(index));
      const button = c.fake.of('sendMessage').at(-1)!.body.template.components[1];
      assert.deepEqual(button, {
        type: 'button',
        sub_type: 'url',
        index,
        parameters: [{ type: 'text', text: '1234' }],
      });
      const statuses = await received(statusesOf(id));
      assert.deepEqual(
        statuses.map((s) => [s.status, s.pricing?.category]),
        [
          ['sent', 'utility'],
          ['delivered', 'utility'],
          ['read', undefined],
        ],
      );
    }
    assert.deepEqual(c.fake.schemaViolations, []);
  });

  it('a customer writing through the fake reaches the receiver as an On-Prem inbound callback, named and markable', async () => {
    const first = await postInbound({ from: '+1 631 555 1234', name: 'Kerry', text: 'Where is my order?' });
    assert.equal(first.status, 200, JSON.stringify(first.body));
    assert.deepEqual(first.body.node, { status: 200 });
    const callback = await received((bodies) => bodies.find((b) => b.messages?.[0]?.id === first.body.id));
    assert.deepEqual(callback.contacts, [{ profile: { name: 'Kerry' }, wa_id: CUSTOMER }]);
    const [message] = callback.messages;
    assert.deepEqual(
      { ...message, timestamp: undefined },
      { from: CUSTOMER, id: first.body.id, type: 'text', text: { body: 'Where is my order?' }, timestamp: undefined },
    );
    assert.match(message.timestamp, /^\d{10}$/);

    const read = await c.t.request({
      method: 'PUT',
      url: `/v1/messages/${first.body.id}`,
      token: c.admin,
      body: { status: 'read' },
    });
    assert.equal(read.status, 200, read.text);
    assert.equal(c.fake.of('markRead').at(-1)!.body.message_id, first.body.id);

    // Meta sends the customer's profile name with every message: the name given once is kept for the next ones.
    const second = await postInbound({
      from: CUSTOMER,
      type: 'location',
      location: { latitude: 37.48, longitude: -122.14, name: 'Home', address: '1 Main St' },
    });
    assert.equal(second.status, 200, JSON.stringify(second.body));
    const located = await received((bodies) => bodies.find((b) => b.messages?.[0]?.id === second.body.id));
    assert.deepEqual(located.contacts, [{ profile: { name: 'Kerry' }, wa_id: CUSTOMER }]);
    assert.deepEqual(located.messages[0].location, {
      latitude: 37.48,
      longitude: -122.14,
      name: 'Home',
      address: '1 Main St',
    });
  });

  it('the control door refuses what Meta would never send, and posts nothing for it', async () => {
    const before = c.fake.postedWebhooks.length;
    for (const [body, reason] of [
      [{ text: 'no sender' }, /from/],
      [{ from: CUSTOMER }, /"text", or "type"/],
      [{ from: CUSTOMER, type: 'text', text: { body: 5 } }, /Meta would not send/],
      [[1, 2], /JSON object/],
    ] as const) {
      const refused = await postInbound(body);
      assert.equal(refused.status, 400, JSON.stringify(body));
      assert.match(refused.body.error, reason);
    }
    assert.equal(c.fake.postedWebhooks.length, before);
  });
});

describe('the fake Graph server without a webhook URL', () => {
  it('posts no webhooks and refuses customer messages (the other cloud suites rely on that)', async () => {
    const fake = await startFakeGraph();
    try {
      assert.equal(fake.webhookTarget, null);
      const response = await fetch(`${fake.url}/fake/inbound`, {
        method: 'POST',
        body: JSON.stringify({ from: CUSTOMER, text: 'hi' }),
      });
      assert.equal(response.status, 400);
      assert.match(((await response.json()) as any).error, /no webhook URL/);
      assert.deepEqual(fake.postedWebhooks, []);
    } finally {
      await fake.close();
    }
  });
});
