// POST /v1/messages and PUT /v1/messages/{id} through the HTTP layer: the 201 shape, recipients as wa_ids or
// phone numbers, the old API's error codes reaching the envelope, media ids, and inbound messages marked read.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { assertError } from '../support/assertions.js';
import { suiteScope } from '../support/harness.js';
import { startMessagingScenario, type MessagingScenario } from '../support/messaging.js';

describe('messages API', () => {
  let s: MessagingScenario;
  let user: string;
  const post = (body: unknown, token = s.admin) => s.t.request({ method: 'POST', url: '/v1/messages', token, body });
  const markRead = (id: string, body: unknown = { status: 'read' }) =>
    s.t.request({ method: 'PUT', url: `/v1/messages/${id}`, token: user, body });

  const suite = suiteScope();
  before(async () => {
    s = await startMessagingScenario(suite);
    user = await s.t.userToken();
  });

  it('answers 201 with the message id, durable before the answer', async () => {
    const response = await post({ to: '16315551001', type: 'text', text: { body: 'hello' } }, user);
    assert.equal(response.status, 201);
    assert.deepEqual(Object.keys(response.body), ['messages', 'meta']);
    const id = response.body.messages[0].id;
    const row = await s.t.node.db.db.selectFrom('messages').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    assert.equal(row.wa_id, '16315551001');
    assert.equal(row.direction, 'out');
    // The network may already have taken it (this customer never wrote, so it fails with 470 at once).
    assert.ok(['accepted', 'failed'].includes(row.status), row.status);
  });

  it('accepts a phone number in any format and answers its wa_id in contacts', async () => {
    const response = await post({ to: '+1 (631) 555-1002', text: { body: 'type defaults to text' } });
    assert.equal(response.status, 201, response.text);
    assert.deepEqual(response.body.contacts, [{ input: '+1 (631) 555-1002', wa_id: '16315551002' }]);
  });

  it('answers the reference codes in the envelope', async () => {
    assertError(await post({ to: '16315551001', text: { body: 'x'.repeat(4097) } }), 400, 1001);
    assertError(await post({ to: '16315551001', recipient_type: 'group', text: { body: 'x' } }), 400, 1002);
    assertError(await post({ type: 'text', text: { body: 'x' } }), 400, 1008, /to/);
    assertError(
      await post({ to: '16315551001', type: 'text', text: { body: 'x' }, colour: 'blue' }),
      400,
      1010,
      /colour/,
    );
    assertError(await post({ to: 'not a number', text: { body: 'x' } }), 400, 1013, /to/);
    assertError(await post({ to: '16315550000', text: { body: 'x' } }), 400, 1021);
    assertError(
      await post({
        to: '16315551001',
        type: 'template',
        template: { name: 'hello_world', language: { code: 'en_US' } },
      }),
      400,
      2014,
    );
    assertError(await post([1, 2]), 400, 1009);
  });

  it('refuses media ids that were never uploaded with 404 / 1006 and accepts links', async () => {
    assertError(
      await post({ to: '16315551001', type: 'image', image: { id: 'f6f2b7c4-1e0c-4c53-9a55-000000000000' } }),
      404,
      1006,
      /media/,
    );
    const response = await post({
      to: '16315551001',
      type: 'image',
      image: { link: `${s.receiver.url}/cat.jpg`, caption: 'a cat' },
    });
    assert.equal(response.status, 201, response.text);
  });

  it("accepts a template as Meta's collection writes it and stores the reference's shape", async () => {
    const link = `${s.receiver.url}/promo.jpg`;
    const response = await post({
      to: '16315551004',
      type: 'template',
      template: {
        namespace: 'openprem_sandbox',
        name: 'promo_image',
        language: { policy: 'deterministic', code: 'en_US' },
        components: [
          { type: 'header', parameters: { type: 'image', link } },
          {
            type: 'body',
            parameters: [
              { type: 'text', text: 'Kerry' },
              { type: 'text', text: '20%' },
            ],
          },
          { type: 'button', sub_type: 'quick_reply', index: '0', parameters: { type: 'payload', payload: 'STOP' } },
        ],
      },
    });
    assert.equal(response.status, 201, response.text);
    const row = await s.t.node.db.db
      .selectFrom('messages')
      .select('content')
      .where('id', '=', response.body.messages[0].id)
      .executeTakeFirstOrThrow();
    const components = JSON.parse(row.content).message.template.components;
    assert.deepEqual(components[0], { type: 'header', parameters: [{ type: 'image', image: { link } }] });
    assert.deepEqual(components[2].parameters, [{ type: 'payload', payload: 'STOP' }]);
  });

  it('delivers an inbound message to the webhook in the On-Prem shape, and marks it read', async () => {
    const id = await s.inbound({
      from: '+1 631 555 1003',
      profile: { name: 'Kerry Fisher' },
      type: 'text',
      text: { body: 'Hello this is an answer' },
    });
    await s.advance(0);
    const callback = s.receiver.received.find((r) => r.body?.messages?.[0]?.id === id);
    assert.ok(callback, 'the inbound message reached the webhook');
    assert.deepEqual(callback.body.contacts, [{ profile: { name: 'Kerry Fisher' }, wa_id: '16315551003' }]);
    const [message] = callback.body.messages;
    assert.equal(message.from, '16315551003');
    assert.equal(message.type, 'text');
    assert.deepEqual(message.text, { body: 'Hello this is an answer' });
    assert.match(message.timestamp, /^\d{10}$/);

    const read = await markRead(id);
    assert.equal(read.status, 200, read.text);
    assert.deepEqual(Object.keys(read.body), ['meta']);
    assert.equal((await markRead(id)).status, 200, 'marking twice is harmless');
    const view = await s.t.request({ url: '/sandbox/customers/16315551003/messages', token: s.admin });
    const seen = view.body.messages.find((m: any) => m.id === id);
    assert.equal(seen.direction, 'inbound');
    assert.equal(seen.status, 'read');
    assert.match(seen.timestamps.read, /^\d{10}$/);
  });

  it('keeps the profile name a customer writes with, for their later messages and the customer controls', async () => {
    const contactsOf = (id: string) => s.receiver.received.find((r) => r.body?.messages?.[0]?.id === id)?.body.contacts;
    const nameOf = async () =>
      (await s.t.request({ url: '/sandbox/customers/16315551006', token: s.admin })).body.customers[0].name;
    const named = await s.inbound({
      from: '+1 631 555 1006',
      profile: { name: 'Ann Lee' },
      type: 'text',
      text: { body: 'hi' },
    });
    const later = await s.inbound({ from: '16315551006', type: 'text', text: { body: 'me again' } });
    await s.advance(0);
    for (const id of [named, later])
      assert.deepEqual(contactsOf(id), [{ profile: { name: 'Ann Lee' }, wa_id: '16315551006' }]);
    assert.equal(await nameOf(), 'Ann Lee');

    // A customer who renames their profile: the new name from then on.
    const renamed = await s.inbound({
      from: '16315551006',
      profile: { name: 'Ann' },
      type: 'text',
      text: { body: 'new name' },
    });
    await s.advance(0);
    assert.deepEqual(contactsOf(renamed), [{ profile: { name: 'Ann' }, wa_id: '16315551006' }]);
    assert.equal(await nameOf(), 'Ann');
  });

  it('lets a customer quote and react to messages of their own chat only', async () => {
    const mine = await s.send({ to: '16315551005', text: { body: 'your code is 1234' } });
    const quoted = await s.inbound({
      from: '16315551005',
      type: 'text',
      text: { body: 'thanks' },
      context: { id: mine },
    });
    await s.inbound({ from: '16315551005', type: 'reaction', reaction: { message_id: mine, emoji: '👍' } });
    await s.advance(0);
    const callback = s.receiver.received.find((r) => r.body?.messages?.[0]?.id === quoted);
    assert.deepEqual(callback?.body.messages[0].context, { from: '16315550000', id: mine });
    const other = { from: '16315551006', type: 'text', text: { body: 'not my chat' }, context: { id: mine } };
    assertError(
      await s.t.request({ method: 'POST', url: '/sandbox/inbound', token: s.admin, body: other }),
      404,
      1006,
      /context\.id/,
    );
    const stray = { from: '16315551005', type: 'reaction', reaction: { message_id: 'wamid.nothing', emoji: '👍' } };
    assertError(
      await s.t.request({ method: 'POST', url: '/sandbox/inbound', token: s.admin, body: stray }),
      404,
      1006,
      /reaction\.message_id/,
    );
  });

  it('refuses to mark unknown or outbound messages, and bodies other than {"status":"read"}', async () => {
    assertError(await markRead('wamid.unknown'), 404, 1006);
    const outbound = await s.send({ to: '16315551001', text: { body: 'mine' } });
    assertError(await markRead(outbound), 400, 1009, /sent by the business/);
    assertError(await markRead('wamid.x', { status: 'delivered' }), 400, 1009, /status/);
    assertError(await markRead('wamid.x', {}), 400, 1008, /status/);
  });
});
