// The webhook metrics the alerts read: the backlog and its oldest callback, the same figure on every node of one
// database and read at most once per BACKLOG_CACHE_MS (5 s); attempts by result, and callbacks given up.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { enqueueWebhooks } from '../../src/db/repositories/webhook-outbox.js';
import { API_KEY, eventually, startNodePair, suiteScope, type NodePair, type TestNode } from '../support/harness.js';
import { applicationSettings } from '../support/messaging.js';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.js';

/** A sample's value in the node's Prometheus text, or undefined when the series is absent. */
async function scraped(t: TestNode, series: string): Promise<number | undefined> {
  const text = (await t.request({ url: '/metrics?format=prometheus', apiKey: API_KEY })).text;
  const [name, labels = ''] = series.split('{');
  const line = text.split('\n').find(
    (l) =>
      l.startsWith(`${name}{`) &&
      labels
        .replace('}', '')
        .split(',')
        .every((label) => !label || l.includes(label)),
  );
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

const callbacks = (n: number) =>
  Array.from({ length: n }, (_, i) => ({ kind: 'message' as const, payload: { messages: [{ id: `m${i}` }] } }));

describe('webhook metrics on two nodes of one database', () => {
  let pair: NodePair;
  let receiver: WebhookReceiver;
  const suite = suiteScope();
  before(async () => {
    receiver = await startWebhookReceiver();
    suite.after(() => receiver.close());
    pair = await startNodePair(suite);
  });

  it('reports the shared backlog and its oldest callback on every node, read at most once per 5 s', async () => {
    const { a, b } = pair;
    for (const t of [a, b]) {
      assert.equal(await scraped(t, 'openprem_webhook_queue_depth'), 0);
      assert.equal(await scraped(t, 'openprem_webhook_oldest_pending_age_seconds'), 0);
    }
    // No webhook URL yet: callbacks wait.
    await enqueueWebhooks(a.node.db.db, callbacks(3), a.clock.now());
    assert.equal(
      await scraped(b, 'openprem_webhook_queue_depth'),
      0,
      'within 5 s of the last read, the read is not repeated',
    );
    // A minute, not 5 s: a read slower than 100 ms (a loaded machine) keeps its figure longer (BACKLOG_READ_SHARE).
    a.clock.advance(60_000);
    for (const t of [a, b]) {
      assert.equal(await scraped(t, 'openprem_webhook_queue_depth'), 3);
      assert.equal(await scraped(t, 'openprem_webhook_oldest_pending_age_seconds'), 60);
    }
    await enqueueWebhooks(b.node.db.db, callbacks(2), b.clock.now());
    a.clock.advance(60_000);
    for (const t of [a, b]) {
      assert.equal(await scraped(t, 'openprem_webhook_queue_depth'), 5);
      assert.equal(
        await scraped(t, 'openprem_webhook_oldest_pending_age_seconds'),
        120,
        'the oldest callback is the first one',
      );
    }
  });

  it('counts attempts by result, and the callbacks given up once retries run out', async () => {
    const { a, b } = pair;
    assert.equal(await scraped(a, 'openprem_webhook_given_up_total'), 0, 'present before the first one');
    receiver.answerWith(500);
    // callback_persist off: one retry after 100 ms, then the capped delay is reached and the callback is given up.
    await applicationSettings(
      a,
      await a.adminToken(),
    )({
      webhooks: { url: receiver.url },
      callback_persist: false,
      callback_backoff_delay_ms: 100,
      max_callback_backoff_delay_ms: 100,
    });
    await eventually(async () => (b.node.settings.current().webhooks.url === receiver.url ? true : undefined));
    const deliver = async () => {
      for (const t of [a, b]) await t.node.webhooks.dispatcher.runOnce();
    };
    await deliver();
    a.clock.advance(100);
    await deliver();
    const total = async (series: string) => ((await scraped(a, series)) ?? 0) + ((await scraped(b, series)) ?? 0);
    assert.equal(
      await total('openprem_webhook_attempts_total{result="http_error"}'),
      10,
      'five callbacks, two attempts each',
    );
    assert.equal(await total('openprem_webhook_attempts_total{result="delivered"}'), 0);
    assert.equal(await total('openprem_webhook_given_up_total'), 5);
    a.clock.advance(60_000);
    assert.equal(await scraped(b, 'openprem_webhook_queue_depth'), 0, 'given up: no longer pending');
  });
});
