// POST /v1/messages on the cloud gateway against the fake Graph server: every message type round-trips (Graph got
// the right Cloud body, valid by Meta's schema; the client got the On-Prem answer), the wamid is the stored id,
// the real wa_id Meta reveals is answered and remembered, and mark-as-read goes to Graph.
import assert from 'node:assert/strict';
import { before, beforeEach, describe, it } from 'node:test';
import { assertError } from '../support/assertions.js';
import { FAKE_PNID, type FakeGraph } from '../support/fake-graph.js';
import { startCloudNode, type CloudNode } from '../support/cloud-node.js';
import { suiteScope, type TestNode } from '../support/harness.js';

describe('cloud gateway: sending messages', () => {
  let fake: FakeGraph;
  let t: TestNode;
  let admin: string;
  const send = (body: unknown) => t.request({ method: 'POST', url: '/v1/messages', token: admin, body });
  const lastSent = () => fake.of('sendMessage').at(-1)!.body;

  let cloud: CloudNode;
  const suite = suiteScope();
  before(async () => {
    cloud = await startCloudNode(suite);
    ({ fake, t, admin } = cloud);
  });
  beforeEach(() => assert.deepEqual(fake.schemaViolations, []));

  it('sends a text: messaging_product added, preview_url moved into text, the wamid answered and stored', async () => {
    const response = await send({
      to: '16315551001',
      type: 'text',
      preview_url: true,
      text: { body: 'see https://example.com' },
    });
    assert.equal(response.status, 201, response.text);
    const id = response.body.messages[0].id;
    assert.match(id, /^wamid\./);
    assert.deepEqual(lastSent(), {
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: '16315551001',
      type: 'text',
      text: { body: 'see https://example.com', preview_url: true },
    });
    assert.equal(fake.of('sendMessage').at(-1)!.path, `/v23.0/${FAKE_PNID}/messages`);
    const row = await t.node.db.db.selectFrom('messages').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    assert.equal(row.direction, 'out');
    assert.equal(row.status, 'accepted');
    assert.equal(row.wa_id, '16315551001');
    assert.deepEqual(fake.schemaViolations, []);
  });

  const cases: [string, Record<string, unknown>, Record<string, unknown>][] = [
    [
      'image by link',
      { type: 'image', image: { link: 'https://example.com/a.jpg', caption: 'c', provider: { name: 'cdn' } } },
      { image: { link: 'https://example.com/a.jpg', caption: 'c' } },
    ],
    [
      'document by link',
      { type: 'document', document: { link: 'https://example.com/a.pdf', filename: 'a.pdf' } },
      { document: { link: 'https://example.com/a.pdf', filename: 'a.pdf' } },
    ],
    [
      'audio by link',
      { type: 'audio', audio: { link: 'https://example.com/a.ogg' } },
      { audio: { link: 'https://example.com/a.ogg' } },
    ],
    [
      'video by link',
      { type: 'video', video: { link: 'https://example.com/a.mp4' } },
      { video: { link: 'https://example.com/a.mp4' } },
    ],
    [
      'sticker by link',
      { type: 'sticker', sticker: { link: 'https://example.com/a.webp' } },
      { sticker: { link: 'https://example.com/a.webp' } },
    ],
    [
      'location',
      { type: 'location', location: { latitude: 37.48, longitude: -122.14, name: 'HQ', address: '1 Hacker Way' } },
      { location: { latitude: 37.48, longitude: -122.14, name: 'HQ', address: '1 Hacker Way' } },
    ],
    [
      'location with coordinates as strings (read as numbers)',
      { type: 'location', location: { latitude: '37.48', longitude: '-122.14' } },
      { location: { latitude: 37.48, longitude: -122.14 } },
    ],
    [
      'reaction',
      { type: 'reaction', reaction: { message_id: 'wamid.abc', emoji: '👍' } },
      { reaction: { message_id: 'wamid.abc', emoji: '👍' } },
    ],
    [
      'contacts',
      {
        type: 'contacts',
        contacts: [
          {
            name: { formatted_name: 'Kerry Fisher', first_name: 'Kerry' },
            phones: [{ phone: '+1 631 555 1002', type: 'WORK' }],
          },
        ],
      },
      {
        contacts: [
          {
            name: { formatted_name: 'Kerry Fisher', first_name: 'Kerry' },
            phones: [{ phone: '+1 631 555 1002', type: 'WORK' }],
          },
        ],
      },
    ],
    [
      'contacts with ims (dropped: Cloud has no field for them)',
      {
        type: 'contacts',
        contacts: [
          { name: { formatted_name: 'Kerry Fisher' }, ims: ['kerry.fisher'] },
          { name: { formatted_name: 'Ann' }, ims: [] },
        ],
      },
      { contacts: [{ name: { formatted_name: 'Kerry Fisher' } }, { name: { formatted_name: 'Ann' } }] },
    ],
    [
      'interactive buttons',
      {
        type: 'interactive',
        interactive: {
          type: 'button',
          body: { text: 'Pick' },
          action: { buttons: [{ type: 'reply', reply: { id: 'y', title: 'Yes' } }] },
        },
      },
      {
        interactive: {
          type: 'button',
          body: { text: 'Pick' },
          action: { buttons: [{ type: 'reply', reply: { id: 'y', title: 'Yes' } }] },
        },
      },
    ],
    [
      'template: namespace and language.policy stripped',
      {
        type: 'template',
        template: {
          namespace: 'ns',
          name: 'order_update',
          language: { policy: 'deterministic', code: 'en_US' },
          components: [{ type: 'body', parameters: [{ type: 'text', text: 'Kerry' }] }],
        },
      },
      {
        template: {
          name: 'order_update',
          language: { code: 'en_US' },
          components: [{ type: 'body', parameters: [{ type: 'text', text: 'Kerry' }] }],
        },
      },
    ],
    [
      "template as Meta's collection writes it: parameters as one object, link beside type (normalised)",
      {
        type: 'template',
        template: {
          namespace: 'ns',
          name: 'promo',
          language: { policy: 'deterministic', code: 'en_US' },
          components: [
            { type: 'header', parameters: { type: 'video', link: 'https://example.com/a.mp4' } },
            { type: 'body', parameters: { type: 'text', text: 'Kerry' } },
          ],
        },
      },
      {
        template: {
          name: 'promo',
          language: { code: 'en_US' },
          components: [
            { type: 'header', parameters: [{ type: 'video', video: { link: 'https://example.com/a.mp4' } }] },
            { type: 'body', parameters: [{ type: 'text', text: 'Kerry' }] },
          ],
        },
      },
    ],
    [
      'hsm: becomes a template with one body component',
      {
        type: 'hsm',
        hsm: {
          namespace: 'ns',
          element_name: 'order_update',
          language: { policy: 'deterministic', code: 'en' },
          localizable_params: [
            { default: 'Kerry' },
            { default: '$10', currency: { currency_code: 'USD', amount_1000: 10000 } },
          ],
        },
      },
      {
        template: {
          name: 'order_update',
          language: { code: 'en' },
          components: [
            {
              type: 'body',
              parameters: [
                { type: 'text', text: 'Kerry' },
                { type: 'currency', currency: { fallback_value: '$10', code: 'USD', amount_1000: 10000 } },
              ],
            },
          ],
        },
      },
    ],
  ];
  for (const [name, onPrem, cloudPart] of cases) {
    it(`sends ${name}`, async () => {
      const response = await send({ to: '16315551001', ...onPrem });
      assert.equal(response.status, 201, response.text);
      const type = onPrem.type === 'hsm' ? 'template' : onPrem.type;
      assert.deepEqual(lastSent(), {
        messaging_product: 'whatsapp',
        recipient_type: 'individual',
        to: '16315551001',
        type,
        ...cloudPart,
      });
      assert.deepEqual(fake.schemaViolations, []);
    });
  }

  it('keeps the reference validation: 1001 for a long text, nothing sent to Graph', async () => {
    const before = fake.of('sendMessage').length;
    assertError(await send({ to: '16315551001', text: { body: 'x'.repeat(4097) } }), 400, 1001);
    assertError(
      await send({ to: '16315551001', type: 'template', template: { name: 'x', language: { code: 'en' } } }),
      400,
      2014,
    );
    assert.equal(fake.of('sendMessage').length, before);
  });

  it('answers the wa_id Meta reveals, and POST /v1/contacts answers it from then on', async () => {
    fake.revealWaId.set('5511987654321', '551187654321');
    const response = await send({ to: '+55 11 98765-4321', text: { body: 'oi' } });
    assert.equal(response.status, 201, response.text);
    assert.deepEqual(response.body.contacts, [{ input: '+55 11 98765-4321', wa_id: '551187654321' }]);
    const checked = await t.request({
      method: 'POST',
      url: '/v1/contacts',
      token: admin,
      body: { blocking: 'wait', contacts: ['+55 11 98765-4321', '+1 631 555 1009'] },
    });
    assert.equal(checked.status, 200, checked.text);
    assert.deepEqual(checked.body.contacts, [
      { input: '+55 11 98765-4321', status: 'valid', wa_id: '551187654321' },
      { input: '+1 631 555 1009', status: 'valid', wa_id: '16315551009' },
    ]);
  });

  it('marks an inbound message read at Graph', async () => {
    const now = t.clock.now();
    await t.node.db.db
      .insertInto('messages')
      .values({
        id: 'wamid.inbound1',
        direction: 'in',
        wa_id: '16315551001',
        type: 'text',
        content: '{}',
        status: 'received',
        context_id: null,
        error_code: null,
        category: null,
        conversation_id: null,
        created_at: now,
        sent_at: null,
        delivered_at: now,
        read_at: null,
        updated_at: now,
      })
      .execute();
    const response = await t.request({
      method: 'PUT',
      url: '/v1/messages/wamid.inbound1',
      token: admin,
      body: { status: 'read' },
    });
    assert.equal(response.status, 200, response.text);
    assert.deepEqual(fake.of('markRead').at(-1)!.body, {
      messaging_product: 'whatsapp',
      status: 'read',
      message_id: 'wamid.inbound1',
    });
    const row = await t.node.db.db
      .selectFrom('messages')
      .select('status')
      .where('id', '=', 'wamid.inbound1')
      .executeTakeFirstOrThrow();
    assert.equal(row.status, 'read');
    assertError(
      await t.request({ method: 'PUT', url: '/v1/messages/wamid.unknown', token: admin, body: { status: 'read' } }),
      404,
      1006,
    );
  });

  it('has no sandbox: /sandbox/* answers 404', async () => {
    for (const url of ['/sandbox/customers/16315551001', '/sandbox/templates', '/sandbox/account/code']) {
      const response = await t.request({ url, token: admin });
      assert.equal(response.status, 404, `${url}: ${response.text}`);
    }
    const inbound = await t.request({
      method: 'POST',
      url: '/sandbox/inbound',
      token: admin,
      body: { from: '16315551001', type: 'text', text: { body: 'hi' } },
    });
    assert.equal(inbound.status, 404);
  });
});
