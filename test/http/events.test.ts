// GET /x/v1/events, read as the console reads it (fetch() on a real listening node): `retry`, the delivery numbers at
// connect and as they change, a `conversation` event for each step of a send (accepted, sent, delivered, read) and
// for a customer's message and its read receipt, pings, the end of the stream when its token is revoked or expires
// and when the node shuts down, the bounds per user and per node, and, on PostgreSQL, a send on one node seen on
// another's stream.
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { before, describe, it } from 'node:test';
import { MAX_STREAMS, MAX_STREAMS_PER_USER } from '../../src/http/live/event-streams.js';
import { hashToken } from '../../src/lib/secrets.js';
import { assertError } from '../support/assertions.js';
import { SQLITE_SKIP } from '../support/cluster.js';
import { openEventStream, type EventStreamReader, type ServerSentEvent } from '../support/event-stream.js';
import { eventually, startNodePair, startTestNode, suiteScope, type TestNode } from '../support/harness.js';
import { startMessagingScenario, type MessagingScenario } from '../support/messaging.js';

const DAY_MS = 86_400_000;

async function listen(t: TestNode): Promise<string> {
  await t.node.app.server.listen({ host: '127.0.0.1', port: 0 });
  return `http://127.0.0.1:${(t.node.app.server.server.address() as AddressInfo).port}`;
}

const about = (id: string) => (e: ServerSentEvent) => e.event === 'conversation' && e.data.ids.includes(id);

describe('live events on the sandbox', () => {
  let s: MessagingScenario;
  let base: string;
  const suite = suiteScope();
  before(async () => {
    s = await startMessagingScenario(suite);
    base = await listen(s.t);
  });

  it('opens with retry and the delivery numbers, as an event stream that no proxy should buffer', async () => {
    const stream = await openEventStream(base, s.admin);
    try {
      assert.equal(stream.status, 200);
      assert.equal(stream.headers.get('content-type'), 'text/event-stream; charset=utf-8');
      assert.equal(stream.headers.get('cache-control'), 'no-cache, no-transform');
      const numbers = await stream.next((e) => e.event === 'deliveries');
      assert.deepEqual(Object.keys(numbers.data).sort(), [
        'delivered',
        'failed',
        'oldest_pending_age_seconds',
        'pending',
      ]);
      assert.equal(stream.retry, 2000);
    } finally {
      stream.close();
    }
  });

  it("follows a send through accepted, sent, delivered and read, and a customer's message and its reading", async () => {
    const stream = await openEventStream(base, await s.t.userToken());
    try {
      const waId = '16315558001';
      await s.inbound({ from: waId, type: 'text', text: { body: 'hello' } });
      const id = await s.send({ to: waId, type: 'text', text: { body: 'hi there' } });
      const accepted = await stream.next(about(id));
      assert.deepEqual(accepted.data, { wa_id: waId, ids: accepted.data.ids });
      // Each status of the sandbox's default timing (100, 400, 1,500 ms) is its own event.
      for (const [ms, status] of [
        [100, 'sent'],
        [300, 'delivered'],
        [1100, 'read'],
      ] as const) {
        const from = stream.events.length;
        await s.advance(ms);
        await stream.next(about(id), { from });
        const row = await s.t.node.db.db
          .selectFrom('messages')
          .select('status')
          .where('id', '=', id)
          .executeTakeFirstOrThrow();
        assert.equal(row.status, status);
      }
      const from = stream.events.length;
      const inbound = await s.inbound({ from: waId, type: 'text', text: { body: 'thanks' } });
      assert.deepEqual((await stream.next(about(inbound), { from })).data, { wa_id: waId, ids: [inbound] });
      const read = stream.events.length;
      assert.equal(
        (await s.t.request({ method: 'PUT', url: `/v1/messages/${inbound}`, token: s.admin, body: { status: 'read' } }))
          .status,
        200,
      );
      await stream.next(about(inbound), { from: read });
    } finally {
      stream.close();
    }
  });

  it('sends the delivery numbers again when they change', async () => {
    const stream = await openEventStream(base, s.admin);
    try {
      const first = await stream.next((e) => e.event === 'deliveries');
      s.receiver.answerWith(500);
      await s.inbound({ from: '16315558002', type: 'text', text: { body: 'a callback that stays pending' } });
      // The figures are read again once 5 s old (the clock) and watched every 2 s (real time).
      s.t.clock.advance(5000);
      const changed = await stream.next((e) => e.event === 'deliveries' && e.data.pending > first.data.pending, {
        timeoutMs: 8000,
      });
      assert.ok(changed.data.oldest_pending_age_seconds >= 0);
    } finally {
      s.receiver.answerWith(200);
      stream.close();
    }
  });

  it('bounds the streams of one user, answering 429 / 1015 in the envelope', async () => {
    const token = await s.t.userToken();
    const streams: EventStreamReader[] = [];
    try {
      for (let i = 0; i < MAX_STREAMS_PER_USER; i++) streams.push(await openEventStream(base, token));
      const refused = await openEventStream(base, token);
      assert.equal(refused.status, 429);
      await refused.ended;
      assert.equal(refused.refusal.errors[0].code, 1015);
      assert.ok(refused.refusal.meta);
      // One stream closed by its client frees its place.
      streams.shift()!.close();
      await waitFor(() => s.t.node.app.events.count() === MAX_STREAMS_PER_USER - 1);
      streams.push(await openEventStream(base, token));
      assert.equal(streams.at(-1)!.status, 200);
    } finally {
      for (const stream of streams) stream.close();
    }
  });

  it('is for logged-in users, not the API key; HEAD opens no stream', async () => {
    assertError(await s.t.request({ url: '/x/v1/events' }), 401, 1005);
    assertError(await s.t.request({ url: '/x/v1/events', apiKey: 'test-api-key-0123456789' }), 401, 1005);
    const head = await fetch(`${base}/x/v1/events`, {
      method: 'HEAD',
      headers: { authorization: `Bearer ${s.admin}` },
    });
    assert.equal(head.status, 200);
    assert.equal(head.headers.get('content-type'), 'text/event-stream; charset=utf-8');
  });

  // Last: it moves the clock past every token's expiry.
  it('pings, and ends at the next ping once its token is logged out or has expired', async () => {
    const loggedOut = await s.t.login('admin', 'Admin-Pass1!');
    const expiring = await s.t.login('admin', 'Admin-Pass1!');
    const first = await openEventStream(base, loggedOut);
    const second = await openEventStream(base, expiring);
    await s.t.node.app.events.pingAll();
    await waitFor(() => first.comments.includes('ping') && second.comments.includes('ping'));
    assert.equal((await s.t.request({ method: 'POST', url: '/v1/users/logout', token: loggedOut })).status, 200);
    await s.t.node.app.events.pingAll();
    await first.ended;
    // The other token is fine until it expires (7 days after its login).
    s.t.clock.advance(7 * DAY_MS);
    await s.t.node.app.events.pingAll();
    await second.ended;
    await waitFor(() => s.t.node.app.events.count() === 0);
  });
});

describe('live event bounds per node', () => {
  let t: TestNode;
  let base: string;
  const suite = suiteScope();
  before(async () => {
    t = await startTestNode(suite);
    base = await listen(t);
  });

  it(`answers 503 / 1016 past ${MAX_STREAMS} streams, and takes new ones again once some end`, async () => {
    // Users and tokens written straight to the tables: 32 scrypt logins would take seconds.
    const now = t.clock.now();
    const users = Math.ceil(MAX_STREAMS / MAX_STREAMS_PER_USER);
    const tokens = Array.from({ length: users }, (_, i) => `live-bound-token-${i}`);
    await t.node.db.db
      .insertInto('users')
      .values(
        tokens.map((_, i) => ({
          username: `viewer${i}`,
          password_hash: 'scrypt$unused',
          role: 'ROLE_USER' as const,
          must_change_password: 0,
          created_at: now,
          updated_at: now,
        })),
      )
      .execute();
    await t.node.db.db
      .insertInto('auth_tokens')
      .values(
        tokens.map((token, i) => ({
          token_hash: hashToken(token),
          username: `viewer${i}`,
          created_at: now,
          expires_at: now + DAY_MS,
        })),
      )
      .execute();
    const streams: EventStreamReader[] = [];
    try {
      for (let i = 0; i < MAX_STREAMS; i++) streams.push(await openEventStream(base, tokens[i % users]!));
      assert.ok(streams.every((stream) => stream.status === 200));
      const refused = await openEventStream(base, await t.adminToken());
      assert.equal(refused.status, 503);
      await refused.ended;
      assert.equal(refused.refusal.errors[0].code, 1016);
      assert.ok(refused.headers.get('retry-after'));
      const metrics = await t.request({ url: '/metrics?format=prometheus', token: await t.adminToken() });
      assert.match(metrics.text, new RegExp(`^openprem_live_event_streams\\{node="[0-9a-f]+"\\} ${MAX_STREAMS}$`, 'm'));
      // Streams hold no in-flight slot (the overload guard's bound is for requests being answered).
      assert.match(metrics.text, /^openprem_http_in_flight_requests\{node="[0-9a-f]+"\} 0$/m);
      streams.pop()!.close();
      await waitFor(() => t.node.app.events.count() === MAX_STREAMS - 1);
      const again = await openEventStream(base, await t.adminToken());
      assert.equal(again.status, 200);
      streams.push(again);
    } finally {
      for (const stream of streams) stream.close();
    }
  });
});

describe('live events beside the request bounds', () => {
  let t: TestNode;
  let base: string;
  const suite = suiteScope();
  before(async () => {
    // Every bound as short as it may be: one request in flight, a second for headers, body pauses and the request.
    t = await startTestNode(suite, {
      env: {
        WA_MAX_IN_FLIGHT: '1',
        WA_HEADERS_TIMEOUT_MS: '1000',
        WA_REQUEST_TIMEOUT_MS: '1000',
        WA_BODY_IDLE_TIMEOUT_MS: '1000',
        WA_KEEP_ALIVE_TIMEOUT_MS: '1000',
      },
    });
    base = await listen(t);
  });

  it('outlive the request, header, body and keep-alive timeouts, and hold none of the in-flight slots', async () => {
    const token = await t.adminToken();
    const streams = [await openEventStream(base, token), await openEventStream(base, token)];
    try {
      // Node checks its deadlines once a second: three seconds is past all of them, with the checks to see it (a sleep
      // on purpose: the time passing is what is tested).
      await new Promise((resolve) => setTimeout(resolve, 3500));
      await t.node.app.events.pingAll();
      await waitFor(() => streams.every((stream) => stream.comments.includes('ping')));
      const served = await fetch(`${base}/v1/health`, { headers: { authorization: `Bearer ${token}` } });
      assert.equal(served.status, 200, 'the one in-flight slot is free for a request');
    } finally {
      for (const stream of streams) stream.close();
    }
  });
});

describe('live events at shutdown', () => {
  it('ends every stream at once when the node shuts down', async (context) => {
    // Closed here on purpose, before the scope would.
    const t = await startTestNode(context);
    const stream = await openEventStream(await listen(t), await t.adminToken());
    await stream.next((e) => e.event === 'deliveries');
    const started = performance.now();
    const closing = t.close();
    await stream.ended;
    const ended = performance.now() - started;
    await closing;
    assert.ok(ended < 1000, `the stream ended ${Math.round(ended)} ms into the shutdown`);
    assert.ok(performance.now() - started < 3000, `the node closed in ${Math.round(performance.now() - started)} ms`);
  });
});

describe('live events across nodes', { skip: SQLITE_SKIP }, () => {
  let a: TestNode;
  let b: TestNode;
  const suite = suiteScope();
  before(async () => ({ a, b } = await startNodePair(suite)));

  it('a stream on node B hears of a send accepted on node A and of its statuses', async () => {
    const stream = await openEventStream(await listen(b), await b.adminToken());
    try {
      await stream.next((e) => e.event === 'deliveries');
      const waId = '16315558101';
      const sent = await a.request({
        method: 'POST',
        url: '/v1/messages',
        token: await a.adminToken(),
        body: { to: waId, type: 'text', text: { body: 'from node A' } },
      });
      assert.equal(sent.status, 201, sent.text);
      // From another node the ids are not known: the event names the conversation.
      assert.deepEqual((await stream.next((e) => e.event === 'conversation' && e.data.wa_id === waId)).data, {
        wa_id: waId,
        ids: [],
      });
    } finally {
      stream.close();
    }
  });
});

/** `eventually` for a condition in this process's memory. */
async function waitFor(check: () => boolean): Promise<void> {
  await eventually(async () => (check() ? true : undefined), 3000);
}
