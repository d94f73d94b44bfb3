// The sandbox network's scheduler runs on the leader only; a send accepted by another node is still carried
// through to its statuses, the leader hearing of it on the bus (and at its next poll).
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { eventually, startNodePair, suiteScope, type NodePair, type TestNode } from '../support/harness.js';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.js';

describe('singleton work on a cluster', () => {
  let pair: NodePair;
  let receiver: WebhookReceiver;
  let leader: TestNode;
  let follower: TestNode;

  const suite = suiteScope();
  before(async () => {
    receiver = await startWebhookReceiver();
    suite.after(() => receiver.close());
    // Statuses follow each other at once: nothing waits on the manual clock.
    const env = { WA_SANDBOX_DELAYS: 'sent:0,delivered:0,read:0', WA_MEDIA_LINK_ALLOW: new URL(receiver.url).host };
    pair = await startNodePair(suite, { env }, { env });
    await Promise.all([pair.a.node.cluster.heartbeat(), pair.b.node.cluster.heartbeat()]);
    [leader, follower] = pair.a.node.cluster.isLeader() ? [pair.a, pair.b] : [pair.b, pair.a];
    const patched = await leader.request({
      method: 'PATCH',
      url: '/v1/settings/application',
      token: await leader.adminToken(),
      body: { sent_status: true, webhooks: { url: receiver.url } },
    });
    assert.equal(patched.status, 200, patched.text);
  });

  it('one node of the two leads', () => {
    assert.equal(leader.node.cluster.isLeader(), true);
    assert.equal(follower.node.cluster.isLeader(), false);
  });

  it('a send accepted by the node that does not lead gets its statuses', async () => {
    const inbound = await follower.request({
      method: 'POST',
      url: '/sandbox/inbound',
      token: await follower.adminToken(),
      body: { from: '16315551234', type: 'text', text: { body: 'hi' } },
    });
    assert.equal(inbound.status, 201, inbound.text);
    const sent = await follower.request({
      method: 'POST',
      url: '/v1/messages',
      token: await follower.adminToken(),
      body: { to: '16315551234', type: 'text', text: { body: 'Hello from the follower' } },
    });
    assert.equal(sent.status, 201, sent.text);
    const id = sent.body.messages[0].id as string;
    const statuses = await eventually(async () => {
      const seen = receiver.received
        .flatMap((r) => (r.body?.statuses ?? []) as any[])
        .filter((s) => s.id === id)
        .map((s) => s.status);
      return seen.length === 3 ? seen : undefined;
    });
    assert.deepEqual(statuses, ['sent', 'delivered', 'read']);
  });
});
