// A webhook receiver that goes down and comes back is told in the log once each way, not once per retry, with a
// reminder (warn, with the backlog) while it stays down. A real receiver on loopback; time on the injected clock.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { REMINDER_INTERVAL_MS } from '../../src/outbox/receiver-health.js';
import { eventually, startAdminNode, suiteScope, type TestNode } from '../support/harness.js';
import { captureLogs, LEVEL, type LogCapture } from '../support/log-capture.js';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.js';

describe('webhook receiver in the log', () => {
  let t: TestNode;
  let admin: string;
  let receiver: WebhookReceiver;
  let logs: LogCapture;
  let number = 2000;

  const queueCallback = async () => {
    const response = await t.request({
      method: 'POST',
      url: '/v1/contacts',
      token: admin,
      body: { contacts: [`+1 631 555 ${++number}`] },
    });
    assert.equal(response.body.contacts[0].status, 'processing');
    await t.node.lookupWorker.runOnce();
  };
  const pending = async () =>
    (await t.request({ url: '/x/v1/webhooks/deliveries?state=pending', token: admin })).body.deliveries as {
      attempts: number;
    }[];

  const suite = suiteScope();
  before(async () => {
    receiver = await startWebhookReceiver();
    suite.after(() => receiver.close());
    logs = captureLogs('info');
    ({ t, admin } = await startAdminNode(suite, { logger: logs.logger }));
    const settings = {
      webhooks: { url: `${receiver.url}hook?token=receiver-key-123` },
      callback_backoff_delay_ms: 1000,
      max_callback_backoff_delay_ms: 2000,
      callback_persist: true,
    };
    assert.equal(
      (await t.request({ method: 'PATCH', url: '/v1/settings/application', token: admin, body: settings })).status,
      200,
    );
  });

  it('stopped: one "down" line however many retries; a warn reminder per interval; started: one "back" line', async () => {
    const since = logs.mark();
    await receiver.stop();
    await queueCallback();
    await queueCallback();
    await eventually(async () => ((await pending()).filter((d) => d.attempts >= 1).length >= 2 ? true : undefined));
    // Six more rounds of retries, all refused.
    for (let round = 0; round < 6; round++) {
      t.clock.advance(2000);
      await t.node.webhooks.dispatcher.runOnce();
    }
    assert.ok(
      (await pending()).every((d) => d.attempts >= 5),
      'retried several times',
    );
    const down = logs.withMessage('webhook receiver down: callbacks wait in the outbox and are retried', since);
    assert.equal(down.length, 1);
    assert.equal(down[0]!.level, LEVEL.info);
    assert.equal(down[0]!.url, `${receiver.url}hook`, 'shown without its query string');
    assert.match(String(down[0]!.reason), /ECONNREFUSED/);

    t.clock.advance(REMINDER_INTERVAL_MS);
    await t.node.webhooks.dispatcher.runOnce();
    const reminder = await eventually(
      async () => logs.withMessage('webhook receiver still down: callbacks are waiting', since)[0],
    );
    assert.equal(reminder.level, LEVEL.warn);
    assert.equal(reminder.pending, 2);
    assert.ok(Number(reminder.oldestPendingAgeMs) >= REMINDER_INTERVAL_MS);
    assert.ok(Number(reminder.failedAttempts) >= 10);
    // Within the interval, no second reminder.
    t.clock.advance(2000);
    await t.node.webhooks.dispatcher.runOnce();
    assert.equal(logs.withMessage('webhook receiver still down: callbacks are waiting', since).length, 1);

    await receiver.restart();
    t.clock.advance(2000);
    await t.node.webhooks.dispatcher.runOnce();
    await eventually(async () => ((await pending()).length === 0 ? true : undefined));
    const back = logs.withMessage('webhook receiver is back', since);
    assert.equal(back.length, 1);
    assert.equal(back[0]!.level, LEVEL.info);
    assert.ok(Number(back[0]!.downForMs) >= REMINDER_INTERVAL_MS);
    assert.equal(
      logs.withMessage('webhook receiver down: callbacks wait in the outbox and are retried', since).length,
      1,
    );
    assert.ok(!logs.raw().includes('receiver-key-123'));
  });

  it('a 5xx answer counts as down; a 4xx does not', async () => {
    const since = logs.mark();
    receiver.answerWith(503);
    await queueCallback();
    await eventually(async () => (logs.withMessage(/^webhook receiver down/, since).length === 1 ? true : undefined));
    assert.equal(logs.withMessage(/^webhook receiver down/, since)[0]!.reason, 'HTTP 503');
    receiver.answerWith(400);
    t.clock.advance(2000);
    await t.node.webhooks.dispatcher.runOnce();
    assert.equal(
      logs.withMessage('webhook receiver is back', since).length,
      1,
      'an answer, even a refusal, means it is up',
    );
    receiver.answerWith(200);
    t.clock.advance(2000);
    await t.node.webhooks.dispatcher.runOnce();
    await eventually(async () => ((await pending()).length === 0 ? true : undefined));
    assert.equal(logs.withMessage(/^webhook receiver/, since).length, 2);
  });
});
