// Bounded requests (issue 13): a stalled request body is answered 408 in the envelope after the body idle timeout,
// one client cannot hold more than its share of the in-flight slots, and one address no more than its connections.
// Real sockets on loopback; the siege comes from 127.0.0.2 and the admin from 127.0.0.1.
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { eventually, startAdminNode, startTestNode, suiteScope, type TestNode } from '../support/harness.js';
import { getFrom, openConnection, sendStalledBody, type RawAnswer } from '../support/stalled-requests.js';
import { createGate } from '../support/gated-gateway.js';

const SIEGE = 200;
const BODY_IDLE_TIMEOUT_MS = 1000;

async function listen(t: TestNode): Promise<number> {
  await t.node.app.server.listen({ port: 0, host: '127.0.0.1' });
  return (t.node.app.server.server.address() as AddressInfo).port;
}

function stalledSiege(port: number, token: string): Promise<RawAnswer>[] {
  return Array.from({ length: SIEGE }, () =>
    sendStalledBody(port, {
      path: '/v1/contacts',
      token,
      localAddress: '127.0.0.2',
      contentLength: 100_000,
      bodyStart: '{"contacts":["+1631',
    }),
  );
}

function assertTimedOut(answer: RawAnswer, details = /no part of the request body arrived for 1000 ms/): void {
  assert.equal(answer.status, 408, JSON.stringify(answer));
  assert.equal(answer.body.errors[0].code, 1025);
  assert.match(answer.body.errors[0].details, details);
  assert.deepEqual(answer.body.meta, { api_status: 'stable', version: 'v2.53.0' });
}

describe('stalled request bodies', () => {
  let t: TestNode;
  let port: number;
  let admin: string;
  let user: string;

  const suite = suiteScope();
  before(async () => {
    ({ t, admin } = await startAdminNode(suite, {
      env: { WA_BODY_IDLE_TIMEOUT_MS: String(BODY_IDLE_TIMEOUT_MS), WA_MAX_IN_FLIGHT: '100' },
    }));
    user = await t.userToken();
    port = await listen(t);
  });

  it('answers each stalled body 408 / 1025 in the envelope after the idle timeout and frees its slot', async () => {
    const answers = await Promise.all(stalledSiege(port, user));
    const statuses = new Map<number | null, number>();
    for (const answer of answers) statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
    // 100 slots, a quarter (25) per client: the user's 26th stalled body on is refused at once.
    assert.deepEqual([...statuses.entries()].sort(), [
      [408, 25],
      [503, 175],
    ]);
    for (const answer of answers.filter((a) => a.status === 408)) {
      assertTimedOut(answer);
      assert.ok(answer.elapsedMs >= BODY_IDLE_TIMEOUT_MS - 50, `answered after ${answer.elapsedMs} ms`);
    }
    for (const answer of answers.filter((a) => a.status === 503)) {
      assert.equal(answer.body.errors[0].code, 1016);
      assert.match(
        answer.body.errors[0].details,
        /this address already has 25 requests in flight, its share of this node/,
      );
    }
    await eventually(async () => (t.node.app.overload.inFlight() === 0 ? true : undefined));
  });

  it('keeps serving the admin from another address while a user stalls as many bodies as it can', async () => {
    const siege = stalledSiege(port, user);
    await eventually(async () => (t.node.app.overload.inFlight() === 25 ? true : undefined));
    let served = 0;
    for (let i = 0; i < 20; i++) {
      const response = await fetch(`http://127.0.0.1:${port}/v1/users/admin`, {
        headers: { authorization: `Bearer ${admin}` },
      });
      await response.arrayBuffer();
      if (response.status === 200) served += 1;
    }
    assert.equal(served, 20, 'every admin request served during the siege');
    assert.equal((await Promise.all(siege)).filter((a) => a.status === 408).length, 25);
  });
});

describe('header and whole-request timeouts', () => {
  let t: TestNode;
  let port: number;
  let user: string;
  const suite = suiteScope();
  before(async () => {
    t = await startTestNode(suite, {
      env: { WA_HEADERS_TIMEOUT_MS: '1000', WA_REQUEST_TIMEOUT_MS: '2000', WA_BODY_IDLE_TIMEOUT_MS: '1000' },
    });
    user = await t.userToken();
    port = await listen(t);
  });

  const send = (extra: { trickleEveryMs?: number; headersOnlyPart?: boolean }) =>
    sendStalledBody(port, {
      path: '/v1/contacts',
      token: user,
      localAddress: '127.0.0.41',
      contentLength: 100_000,
      bodyStart: '{',
      ...extra,
    });

  it('answers headers that never end 408 in the envelope once WA_HEADERS_TIMEOUT_MS has passed', async () => {
    const answer = await send({ headersOnlyPart: true });
    assertTimedOut(answer, /the request took too long to arrive/);
    // Node checks its deadlines once a second here (not every 30 s): 1 s of timeout, answered within about 2.
    assert.ok(answer.elapsedMs >= 950 && answer.elapsedMs < 5000, `answered after ${answer.elapsedMs} ms`);
  });

  it('answers a body that trickles forever 408 in the envelope once WA_REQUEST_TIMEOUT_MS has passed', async () => {
    const answer = await send({ trickleEveryMs: 300 });
    assertTimedOut(answer, /the request took too long to arrive/);
    assert.ok(answer.elapsedMs >= 1950 && answer.elapsedMs < 6000, `answered after ${answer.elapsedMs} ms`);
    await eventually(async () => (t.node.app.overload.inFlight() === 0 ? true : undefined));
  });
});

describe('share of the in-flight slots per client', () => {
  let t: TestNode;
  let admin: string;
  const gate = createGate();
  // Held contact checks: the gateway look-up of a number not checked before waits behind the gate.
  let numbers = 0;
  const held = (token: string, remoteAddress: string) =>
    t.node.app.server.inject({
      method: 'POST',
      url: '/v1/contacts',
      remoteAddress,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      payload: JSON.stringify({ blocking: 'wait', contacts: [`+163155510${String(++numbers).padStart(2, '0')}`] }),
    });
  const adminUser = (remoteAddress: string) =>
    t.node.app.server.inject({ url: '/v1/users/admin', remoteAddress, headers: { authorization: `Bearer ${admin}` } });

  // The gate opens before the node closes: a close waits for the requests it holds.
  after(() => gate.open());
  const suite = suiteScope();
  // 8 slots, a share of 2 per user and per address.
  before(
    async () =>
      ({ t, admin } = await startAdminNode(suite, { env: { WA_MAX_IN_FLIGHT: '8' }, wrapGateway: gate.wrap })),
  );

  it('holds one user to its share across addresses and tokens, while another caller gets through', async () => {
    const first = await t.userToken('hogger', 'User-Pass1!');
    const second = await t.login('hogger', 'User-Pass1!');
    gate.close();
    const holding = [held(first, '127.0.0.11'), held(first, '127.0.0.12')];
    await eventually(async () => (t.node.app.overload.inFlight() === 2 ? true : undefined));

    for (const [token, address] of [
      [first, '127.0.0.13'],
      [second, '127.0.0.14'],
    ] as const) {
      const refused = await held(token, address);
      assert.equal(refused.statusCode, 503, refused.body);
      assert.equal(refused.headers['retry-after'], '1');
      assert.match(JSON.parse(refused.body).errors[0].details, /this caller already has 2 requests in flight/);
    }
    assert.equal((await adminUser('127.0.0.15')).statusCode, 200);
    gate.open();
    assert.deepEqual(
      (await Promise.all(holding)).map((r) => r.statusCode),
      [200, 200],
    );
  });

  it('holds one address to its share, whoever calls from it', async () => {
    const other = await t.userToken();
    gate.close();
    const holding = [held(other, '127.0.0.21'), held(other, '127.0.0.21')];
    await eventually(async () => (t.node.app.overload.inFlight() === 2 ? true : undefined));
    const refused = await adminUser('127.0.0.21');
    assert.equal(refused.statusCode, 503);
    assert.match(JSON.parse(refused.body).errors[0].details, /this address already has 2 requests in flight/);
    assert.equal((await adminUser('127.0.0.22')).statusCode, 200);
    gate.open();
    assert.deepEqual(
      (await Promise.all(holding)).map((r) => r.statusCode),
      [200, 200],
    );
    await eventually(async () => (t.node.app.overload.inFlight() === 0 ? true : undefined));
  });
});

describe('connections per address', () => {
  let t: TestNode;
  let port: number;
  const suite = suiteScope();
  before(async () => {
    t = await startTestNode(suite, { env: { WA_MAX_CONNECTIONS_PER_ADDRESS: '3' } });
    port = await listen(t);
  });

  it('closes a connection past the cap of its address at once, and accepts one again when another closes', async () => {
    const open = await Promise.all([1, 2, 3].map(() => openConnection(port, '127.0.0.31')));
    const extra = await openConnection(port, '127.0.0.31');
    await extra.closed;
    // Another address is not affected.
    assert.equal(await getFrom(port, '/', '127.0.0.32'), 200);

    open[0]!.socket.destroy();
    await open[0]!.closed;
    const again = await eventually(async () => {
      const connection = await openConnection(port, '127.0.0.31');
      const closedAtOnce = await Promise.race([
        connection.closed.then(() => true),
        new Promise((r) => setTimeout(() => r(false), 200)),
      ]);
      return closedAtOnce ? undefined : connection;
    });
    again.socket.destroy();
    for (const connection of open) connection.socket.destroy();
  });
});
