// The callbacks of one message are never delivered out of the order in which they happened when they are due
// together: two nodes' dispatchers race over one outbox, and a slow receiver keeps many posts in flight at once.
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { before, describe, it } from 'node:test';
import { enqueueWebhooks } from '../../src/db/repositories/webhook-outbox.js';
import { eventually, startNodePair, suiteScope, type NodePair } from '../support/harness.js';

const MESSAGES = 12;
const STATUSES = ['sent', 'delivered', 'read'] as const;
// Each answer takes 20 ms, so that posts overlap: 2 nodes × 24 slots could carry every callback at once.
const ANSWER_AFTER_MS = 20;

/** A receiver that notes, per message, the order of arrival and whether two of its callbacks were ever in flight together. */
async function startOrderingReceiver() {
  const arrivals = new Map<string, string[]>();
  const inFlight = new Set<string>();
  let overlaps = 0;
  const server = http.createServer((request, response) => {
    let raw = '';
    request.on('data', (chunk) => (raw += chunk));
    request.on('end', () => {
      const status = JSON.parse(raw).statuses[0] as { id: string; status: string };
      if (inFlight.has(status.id)) overlaps++;
      inFlight.add(status.id);
      arrivals.set(status.id, [...(arrivals.get(status.id) ?? []), status.status]);
      setTimeout(() => {
        inFlight.delete(status.id);
        response.writeHead(200).end('ok');
      }, ANSWER_AFTER_MS);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    arrivals,
    overlaps: () => overlaps,
    delivered: () => [...arrivals.values()].reduce((n, list) => n + list.length, 0),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('webhook ordering across dispatchers', () => {
  let pair: NodePair;
  let receiver: Awaited<ReturnType<typeof startOrderingReceiver>>;

  const suite = suiteScope();
  before(async () => {
    receiver = await startOrderingReceiver();
    suite.after(() => receiver.close());
    pair = await startNodePair(suite);
    const patched = await pair.a.request({
      method: 'PATCH',
      url: '/v1/settings/application',
      token: await pair.a.adminToken(),
      body: { webhooks: { url: receiver.url, max_concurrent_requests: 24 } },
    });
    assert.equal(patched.status, 200, patched.text);
    await eventually(async () => (pair.b.node.settings.current().webhooks.url === receiver.url ? true : undefined));
  });

  it("posts one message's statuses one at a time, in the order they happened, whichever node claims them", async () => {
    // One transaction, as a network pass writes them: every callback due at once, each message's in order.
    const callbacks = STATUSES.flatMap((status) =>
      Array.from({ length: MESSAGES }, (_, i) => ({
        kind: 'status' as const,
        payload: { statuses: [{ id: `wamid.${i}`, status }] },
        orderingKey: `wamid.${i}`,
      })),
    );
    await enqueueWebhooks(pair.a.node.db.db, callbacks, pair.a.clock.now());
    await Promise.all([pair.a.node.webhooks.dispatcher.runOnce(), pair.b.node.webhooks.dispatcher.runOnce()]);
    await eventually(async () => (receiver.delivered() === MESSAGES * STATUSES.length ? true : undefined));
    assert.equal(receiver.overlaps(), 0);
    for (const list of receiver.arrivals.values()) assert.deepEqual(list, [...STATUSES]);
  });

  it('a callback without an ordering key is not held back by anything', async () => {
    await enqueueWebhooks(
      pair.a.node.db.db,
      [{ kind: 'message', payload: { statuses: [{ id: 'unordered', status: 'read' }] } }],
      pair.a.clock.now(),
    );
    await pair.b.node.webhooks.dispatcher.runOnce();
    assert.deepEqual(receiver.arrivals.get('unordered'), ['read']);
  });
});
