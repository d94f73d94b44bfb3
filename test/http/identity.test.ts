// /v1/contacts/{wa_id}/identity and the send block it lifts (docs/api/contacts.md#identity-changes; code 1028):
// a customer_identity_changed notification from the sandbox records the new identity; with
// show_security_notifications on, sends to that customer are refused with 400 / 1028 until PUT acknowledges the
// hash; a send accepted on a node that had not heard of the change yet fails asynchronously with 480. Inbound
// messages of a customer whose identity is known carry it while the setting is on.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { assertError } from '../support/assertions.js';
import { createContactIdentitiesRepository } from '../../src/db/repositories/contact-identities.js';
import { eventually, startAdminNode, suiteScope, type TestNode } from '../support/harness.js';
import { startMessagingScenario, type MessagingScenario } from '../support/messaging.js';

const KERRY = '16315551234';
const OTHER = '16315551235';
const HASH = 'UKD6Y/5SqDU=';
const NEXT_HASH = 'Rc/eg9RQ0JA=';
const META = { api_status: 'stable', version: 'v2.53.0' };
const identityUrl = (waId: string) => `/v1/contacts/${waId}/identity`;
const changeOf = (hash: string, extra: Record<string, unknown> = {}) => ({
  from: KERRY,
  type: 'system',
  system: { type: 'customer_identity_changed', identity: hash, ...extra },
});

describe('contact identity', () => {
  let s: MessagingScenario;
  let user: string;
  const get = (waId = KERRY, token = user) => s.t.request({ url: identityUrl(waId), token });
  const acknowledge = (body: unknown, waId = KERRY, token = user) =>
    s.t.request({ method: 'PUT', url: identityUrl(waId), token, body });
  const send = (to = KERRY, token = user) =>
    s.t.request({
      method: 'POST',
      url: '/v1/messages',
      token,
      body: { to, type: 'text', text: { body: 'Your order shipped' } },
    });

  const suite = suiteScope();
  before(async () => {
    s = await startMessagingScenario(suite);
    user = await s.t.userToken();
    // Kerry writes first, so free-form messages to Kerry are inside the 24-hour window.
    await s.inbound({ from: KERRY, type: 'text', text: { body: 'hi' } });
  });

  it('is unknown (404 / 1006) until an identity change is recorded; ordinary messages record nothing', async () => {
    assertError(await get(), 404, 1006, `no identity change has been recorded for ${KERRY}`);
    assertError(await acknowledge({ hash: HASH }), 404, 1006, `no identity change has been recorded for ${KERRY}`);
    assert.equal((await send()).status, 201, 'nothing blocks a customer whose identity never changed');
  });

  it("records the change with its notification and answers it in Meta's shape and the older one", async () => {
    const id = await s.inbound(changeOf(HASH));
    await s.advance(0);
    const notified = s.receiver.received.find((r) => r.body?.messages?.[0]?.id === id);
    assert.equal(
      notified?.body.messages[0].system.type,
      'customer_identity_changed',
      'the webhook got the notification',
    );
    const response = await get();
    assert.equal(response.status, 200, response.text);
    const created = s.t.clock.now();
    assert.deepEqual(response.body, {
      contacts: { hash: HASH, created_timestamp: created, acknowledged: false },
      identity: [{ identity_key_hashed: HASH, created_timestamp: created }],
      meta: META,
    });
  });

  it('refuses every send to that customer with 400 / 1028 while unacknowledged, whatever the form of `to`', async () => {
    const refusal = `the identity of ${KERRY} changed: acknowledge it with PUT /v1/contacts/${KERRY}/identity before sending to ${KERRY}`;
    assertError(await send(), 400, 1028, refusal);
    assertError(await send('+1 (631) 555-1234', s.admin), 400, 1028, refusal);
    const template = await s.t.request({
      method: 'POST',
      url: '/v1/messages',
      token: user,
      body: {
        to: KERRY,
        type: 'template',
        template: {
          namespace: 'openprem_sandbox',
          name: 'hello_world',
          language: { policy: 'deterministic', code: 'en_US' },
        },
      },
    });
    assertError(template, 400, 1028, refusal);
    assert.equal(template.body.errors[0].title, 'A user_identity_changed system notification requires acknowledgement');
    assert.equal((await send(OTHER)).status, 201, 'other customers are not affected');
    const stored = await s.t.node.db.db
      .selectFrom('messages')
      .select('id')
      .where('wa_id', '=', KERRY)
      .where('direction', '=', 'out')
      .execute();
    assert.equal(stored.length, 1, 'only the send from before the change was stored');
  });

  it('a wrong hash is 400 / 1009 and lifts nothing; the right one lifts the block, and repeating it is fine', async () => {
    assertError(
      await acknowledge({ hash: 'bm90IHRoaXMgb25l' }),
      400,
      1009,
      `hash does not match the latest identity of ${KERRY}; read it with GET /v1/contacts/${KERRY}/identity`,
    );
    assertError(await send(), 400, 1028);
    const acknowledged = await acknowledge({ hash: HASH });
    assert.equal(acknowledged.status, 200, acknowledged.text);
    assert.deepEqual(acknowledged.body, { meta: META });
    assert.equal((await get()).body.contacts.acknowledged, true);
    const sent = await send();
    assert.equal(sent.status, 201, sent.text);
    await s.advance(2000);
    assert.deepEqual(
      s
        .statusesOf(sent.body.messages[0].id)
        .map((status) => status.status)
        .sort(),
      ['delivered', 'read'],
      'the customer got it',
    );
    assert.equal((await acknowledge({ hash: HASH })).status, 200, 'acknowledging again is fine');
  });

  it("with security notifications on, the customer's messages carry their identity; others' do not", async () => {
    const created = (await get()).body.contacts.created_timestamp;
    const fromKerry = await s.inbound({ from: KERRY, type: 'text', text: { body: 'it is me' } });
    const fromOther = await s.inbound({ from: '16315551299', type: 'text', text: { body: 'someone else' } });
    await s.advance(0);
    const messageOf = (id: string) =>
      s.receiver.received.find((r) => r.body?.messages?.[0]?.id === id)?.body.messages[0];
    assert.deepEqual(messageOf(fromKerry).identity, { acknowledged: true, created_timestamp: created, hash: HASH });
    assert.equal(messageOf(fromOther).identity, undefined);
  });

  it('a newer change blocks again, and only its own hash acknowledges it', async () => {
    s.t.clock.advance(60_000);
    const notification = await s.inbound(changeOf(NEXT_HASH));
    await s.advance(0);
    const notified = s.receiver.received.find((r) => r.body?.messages?.[0]?.id === notification)?.body.messages[0];
    assert.equal(
      notified.identity,
      undefined,
      'the notification announces the new identity; it does not carry the old one',
    );
    assert.deepEqual((await get()).body.contacts, {
      hash: NEXT_HASH,
      created_timestamp: s.t.clock.now(),
      acknowledged: false,
    });
    assertError(await send(), 400, 1028);
    assertError(await acknowledge({ hash: HASH }), 400, 1009, /does not match the latest identity/);
    assert.equal((await acknowledge({ hash: NEXT_HASH })).status, 200);
    assert.equal((await send()).status, 201);
  });

  it('a notification naming another customer records the change for that customer', async () => {
    await s.inbound(changeOf('b3RoZXI=', { customer: OTHER }));
    assert.equal((await get(OTHER)).body.contacts.hash, 'b3RoZXI=');
    assert.equal((await get()).body.contacts.hash, NEXT_HASH, "the sender's own identity is unchanged");
    assertError(await send(OTHER), 400, 1028);
    assert.equal((await acknowledge({ hash: 'b3RoZXI=' }, OTHER)).status, 200);
  });

  it('with show_security_notifications off nothing is blocked; turned back on, the block is back', async () => {
    await s.inbound(changeOf('b2ZmIGFuZCBvbg=='));
    await s.settings({ show_security_notifications: false });
    assert.equal((await send()).status, 201);
    const id = await s.inbound({ from: KERRY, type: 'text', text: { body: 'no identity shown now' } });
    await s.advance(0);
    assert.equal(
      s.receiver.received.find((r) => r.body?.messages?.[0]?.id === id)?.body.messages[0].identity,
      undefined,
    );
    await s.settings({ show_security_notifications: true });
    assertError(await send(), 400, 1028);
  });

  it('the block survives a restart', async () => {
    await s.t.restart();
    assertError(await send(), 400, 1028);
    assert.equal((await acknowledge({ hash: 'b2ZmIGFuZCBvbg==' })).status, 200);
    assert.equal((await send()).status, 201);
  });

  it('refuses invalid paths and bodies with the code that names them', async () => {
    assertError(await get('not-a-number'), 400, 1009, /^path parameter wa_id must match pattern/);
    assertError(await get('0123456789'), 400, 1009, /^path parameter wa_id/);
    assertError(await acknowledge({}), 400, 1008, /^missing required parameter hash$/);
    assertError(await acknowledge({ hash: '' }), 400, 1009, /^hash must NOT have fewer than 1 characters$/);
    assertError(await acknowledge({ hash: 42 }), 400, 1009, /^hash must be of type string$/);
    assertError(
      await acknowledge({ hash: HASH, acknowledged: true }),
      400,
      1010,
      /^acknowledged is not an accepted parameter$/,
    );
    assertError(
      await s.t.request({ method: 'PUT', url: identityUrl(KERRY), token: user }),
      400,
      1008,
      /needs a JSON body/,
    );
    assertError(
      await s.t.request({ method: 'POST', url: identityUrl(KERRY), token: user }),
      405,
      1025,
      /allowed: GET, PUT/,
    );
  });

  it('needs a token (401 / 1005); a ROLE_USER may read and acknowledge, like the other contacts endpoints', async () => {
    assertError(await s.t.request({ url: identityUrl(KERRY) }), 401, 1005);
    assertError(await s.t.request({ method: 'PUT', url: identityUrl(KERRY), body: { hash: HASH } }), 401, 1005);
    assertError(
      await s.t.request({ url: identityUrl(KERRY), token: 'not-a-token' }),
      401,
      1005,
      'Invalid credentials.',
    );
    assert.equal((await get(KERRY, user)).status, 200);
    assert.equal((await get(KERRY, s.admin)).status, 200);
  });
});

describe('contact identity across nodes', () => {
  let s: MessagingScenario;
  let b: TestNode;
  let adminB: string;
  const suite = suiteScope();
  before(async () => {
    s = await startMessagingScenario(suite);
    ({ t: b, admin: adminB } = await startAdminNode(suite, { shareDatabaseOf: s.t }));
    await s.inbound({ from: KERRY, type: 'text', text: { body: 'hi' } });
  });
  const sendThroughB = () =>
    b.request({
      method: 'POST',
      url: '/v1/messages',
      token: adminB,
      body: { to: KERRY, text: { body: 'hello from B' } },
    });

  it('a send accepted by a node that had not heard of the change yet fails with 480 instead of reaching the customer', async () => {
    b.node.identities.stop();
    // Recorded behind B's back, with no cluster notice: as when B's notice connection was down.
    await createContactIdentitiesRepository(s.t.node.db.db).recordChange(KERRY, HASH, s.t.clock.now());
    const accepted = await sendThroughB();
    assert.equal(accepted.status, 201, "B's memory does not know of the change yet");
    await s.advance(1000);
    // B hears of the webhook URL through the cluster bus, so its dispatcher may be the one delivering: polled.
    const statuses = await eventually(async () => {
      const found = s.statusesOf(accepted.body.messages[0].id);
      return found.length > 0 ? found : undefined;
    });
    assert.equal(statuses.length, 1, JSON.stringify(statuses));
    assert.equal(statuses[0]?.status, 'failed');
    assert.deepEqual(statuses[0]?.errors, [
      {
        code: 480,
        title: 'User potentially changed',
        details: `the identity of ${KERRY} changed; acknowledge it with PUT /v1/contacts/${KERRY}/identity`,
      },
    ]);
  });

  it('once B re-reads, it refuses at once; an acknowledgement through A is honoured by B at once', async () => {
    await b.node.identities.load();
    assertError(await sendThroughB(), 400, 1028);
    assert.equal(
      (await s.t.request({ method: 'PUT', url: identityUrl(KERRY), token: s.admin, body: { hash: HASH } })).status,
      200,
    );
    assert.equal((await sendThroughB()).status, 201, 'B checks the database before refusing');
  });

  it("a change received through A is refused by B at once, B's timed refresh being stopped", async () => {
    await s.inbound(changeOf(NEXT_HASH));
    await eventually(async () => ((await sendThroughB()).status === 400 ? true : undefined), 3000);
    assertError(await sendThroughB(), 400, 1028);
  });
});
