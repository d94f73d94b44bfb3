// A conversation lasts exactly 24 hours from the message that opened it (docs/api/webhooks.md#conversations-and-pricing):
// its expiration_timestamp says so to the second, a message inside the window joins it, and one after opens a new
// one. Found missing by the mutation run (README.md#mutation-testing); the rest of the lifecycle: network.test.ts.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { suiteScope } from '../support/harness.js';
import { type MessagingScenario, startMessagingScenario } from '../support/messaging.js';

const DAY_MS = 24 * 60 * 60 * 1000;

describe('the 24-hour conversation', () => {
  const suite = suiteScope();
  let s: MessagingScenario;
  const to = '16315559301';
  /** The customer writes (keeping the service window open), then the business answers: its sent and delivered statuses. */
  const answer = async () => {
    await s.inbound({ from: to, type: 'text', text: { body: 'hello' } });
    await s.advance(0);
    const id = await s.send({ to, type: 'text', text: { body: 'hi' } });
    await s.advance(2000);
    const [sent, delivered] = ['sent', 'delivered'].map((name) =>
      s.statusesOf(id).find((status) => status.status === name),
    );
    assert.ok(sent && delivered, 'sent and delivered statuses');
    return { sent, delivered };
  };

  before(async () => {
    s = await startMessagingScenario(suite);
    await s.settings({ webhooks: { message: { sent: true, delivered: true, read: true } } });
  });

  it('expires 86,400 s after the message that opened it, which a later message in the window joins', async () => {
    const first = await answer();
    const expiry = Number(first.sent.timestamp) + DAY_MS / 1000;
    assert.equal(first.sent.conversation.expiration_timestamp, expiry);
    assert.equal(
      first.delivered.conversation.expiration_timestamp,
      expiry,
      "the opening message's delivered status too",
    );
    await s.advance(DAY_MS - 60_000);
    const inside = await answer();
    assert.equal(
      inside.sent.conversation.id,
      first.sent.conversation.id,
      'one minute before the end: the same conversation',
    );
    assert.equal(inside.delivered.conversation.id, first.sent.conversation.id);
    assert.equal(inside.delivered.conversation.expiration_timestamp, undefined, 'only the opening message carries it');
    await s.advance(60_000);
    const after24h = await answer();
    assert.notEqual(after24h.sent.conversation.id, first.sent.conversation.id, 'after 24 hours: a new conversation');
    assert.equal(after24h.sent.conversation.expiration_timestamp, Number(after24h.sent.timestamp) + DAY_MS / 1000);
  });
});
