// openprem_messages_*: each status of each message counted once, by type (and error code for failures), and
// inbound messages by type, on the sandbox's simulated network and on the cloud gateway's webhooks from Meta,
// whatever Meta repeats or reorders.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { Metrics } from '../../src/metrics.js';
import { cloudStatus, inboundMessage, inboundWebhook, statusWebhook, wamid } from '../support/cloud-webhooks.js';
import { startCloudScenario, type CloudScenario } from '../support/cloud-scenario.js';
import { suiteScope } from '../support/harness.js';
import { startMessagingScenario, type MessagingScenario } from '../support/messaging.js';

type Counted = 'messageStatuses' | 'messageFailures' | 'messagesReceived';

/** Every series of a counter with a non-zero value, as `label=value,...: count` lines, sorted. */
async function series(metrics: Metrics, name: Counted): Promise<string[]> {
  const { values } = await metrics[name].get();
  return values
    .filter((v) => v.value > 0)
    .map(
      (v) =>
        `${Object.entries(v.labels)
          .filter(([k]) => k !== 'node')
          .map(([k, l]) => `${k}=${l}`)
          .sort()
          .join(',')}: ${v.value}`,
    )
    .sort();
}

describe('message counters on the sandbox', () => {
  let s: MessagingScenario;
  const suite = suiteScope();
  before(async () => {
    s = await startMessagingScenario(suite);
  });

  it('counts each status once by type, failures by code, and inbound messages by type', async () => {
    const to = '16315557001';
    await s.inbound({ from: to, type: 'text', text: { body: 'hello' } });
    await s.inbound({ from: to, type: 'location', location: { latitude: 37.48, longitude: -122.15 } });
    await s.advance(0);
    await s.send({ to, type: 'text', text: { body: 'hi' } });
    await s.advance(2000);
    // Outside the 24-hour window a free-form message fails with 470; a template goes through.
    await s.advance(24 * 3600_000 + 1);
    await s.send({ to, type: 'text', text: { body: 'are you there?' } });
    await s.send({
      to,
      type: 'template',
      template: {
        namespace: 'openprem_sandbox',
        name: 'hello_world',
        language: { policy: 'deterministic', code: 'en_US' },
      },
    });
    await s.advance(2000);
    // Nothing counts twice when the network runs again.
    await s.advance(60_000);
    const metrics = s.t.node.metrics;
    assert.deepEqual(await series(metrics, 'messageStatuses'), [
      'status=delivered,type=template: 1',
      'status=delivered,type=text: 1',
      'status=failed,type=text: 1',
      'status=read,type=template: 1',
      'status=read,type=text: 1',
      'status=sent,type=template: 1',
      'status=sent,type=text: 1',
    ]);
    assert.deepEqual(await series(metrics, 'messageFailures'), ['code=470,type=text: 1']);
    assert.deepEqual(await series(metrics, 'messagesReceived'), ['type=location: 1', 'type=text: 1']);
  });
});

describe('message counters on the cloud gateway', () => {
  let s: CloudScenario;
  const suite = suiteScope();
  before(async () => {
    s = await startCloudScenario(suite);
  });

  it('counts each status Meta reports once, through its retries, re-batchings and reordering', async () => {
    const [a, b, c] = [wamid(), wamid(), wamid()];
    for (const id of [a, b, c]) await s.insertSent(id);
    const lifecycle = statusWebhook(cloudStatus(a, 'sent'), cloudStatus(a, 'delivered'), cloudStatus(a, 'read'));
    await s.post(lifecycle);
    await s.deliver();
    // Meta's retry of the whole webhook, then the same statuses batched differently.
    await s.post(lifecycle);
    await s.post(statusWebhook(cloudStatus(a, 'read'), cloudStatus(a, 'delivered')));
    // c read before Meta reports it delivered: both happened, once each.
    await s.post(statusWebhook(cloudStatus(c, 'read')));
    await s.deliver();
    await s.post(statusWebhook(cloudStatus(c, 'delivered')));
    await s.post(
      statusWebhook(
        cloudStatus(b, 'failed', {
          errors: [
            {
              code: 131047,
              title: 'Re-engagement message',
              message: 'Re-engagement message',
              error_data: { details: 'More than 24 hours have passed' },
            },
          ],
        }),
      ),
    );
    // A status of a message OpenPrem did not send, and Cloud's `deleted`.
    await s.post(statusWebhook(cloudStatus(wamid(), 'delivered')));
    await s.post(statusWebhook({ id: a, status: 'deleted', timestamp: '1750000200', recipient_id: '16315551234' }));
    await s.deliver();
    const metrics = s.t.node.metrics;
    assert.deepEqual(await series(metrics, 'messageStatuses'), [
      'status=deleted,type=text: 1',
      'status=delivered,type=text: 2',
      'status=delivered,type=unknown: 1',
      'status=failed,type=text: 1',
      'status=read,type=text: 2',
      'status=sent,type=text: 1',
    ]);
    assert.deepEqual(await series(metrics, 'messageFailures'), ['code=470,type=text: 1']);
  });

  it('counts inbound messages by type once, through Meta retries', async () => {
    const text = inboundWebhook(inboundMessage('text', { body: 'hello' }));
    await s.post(text);
    await s.post(text);
    await s.post(inboundWebhook(inboundMessage('order', { catalog_id: '1', text: 'two please', product_items: [] })));
    await s.post(inboundWebhook(inboundMessage('request_welcome', undefined)));
    await s.deliver();
    assert.deepEqual(await series(s.t.node.metrics, 'messagesReceived'), [
      'type=order: 1',
      'type=text: 1',
      'type=unknown: 1',
    ]);
  });
});
