// The simulated network end to end, with a real webhook receiver: status lifecycles honouring the settings'
// toggles, the 24-hour window, conversations and pricing, customers offline, without receipts or set to fail,
// templates checked against the registry, and a restart in the middle of it all.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { fileOf } from '../support/file-server.js';
import { suiteScope } from '../support/harness.js';
import { startMessagingScenario, type MessagingScenario } from '../support/messaging.js';

const HOUR = 60 * 60 * 1000;
let next = 2000;
/** A fresh customer per test, so no state leaks between them. */
const newCustomer = () => `1631555${++next}`;

describe('sandbox network', () => {
  let s: MessagingScenario;
  /** A customer who has just written, so that free-form messages are inside the 24-hour window. */
  const chattyCustomer = async () => {
    const waId = newCustomer();
    await s.inbound({ from: waId, type: 'text', text: { body: 'hello' } });
    await s.advance(0);
    return waId;
  };
  const text = (to: string, body = 'hi') => s.send({ to, type: 'text', text: { body } });

  const suite = suiteScope();
  before(async () => {
    s = await startMessagingScenario(suite);
    await s.settings({ webhooks: { message: { sent: true, delivered: true, read: true } } });
  });

  it('reports sent, delivered and read at the configured delays, with conversation and pricing', async () => {
    const to = await chattyCustomer();
    const id = await text(to);
    assert.match(id, /^wamid\.[A-Za-z0-9_-]{40}$/);
    await s.advance(99);
    assert.deepEqual(s.statusesOf(id), []);
    await s.advance(1);
    await s.advance(300);
    await s.advance(1100);
    const statuses = s.statusesOf(id);
    assert.deepEqual(
      statuses.map((x) => x.status),
      ['sent', 'delivered', 'read'],
    );
    const [sent, delivered, read] = statuses;
    assert.equal(sent!.recipient_id, to);
    assert.equal(Number(delivered!.timestamp) - Number(sent!.timestamp), 0, 'timestamps are seconds as strings');
    assert.equal(typeof sent!.timestamp, 'string');
    assert.deepEqual(sent!.pricing, { billable: true, pricing_model: 'CBP', category: 'service' });
    assert.equal(sent!.conversation.origin.type, 'service');
    assert.match(sent!.conversation.id, /^[0-9a-f]{32}$/);
    assert.equal(typeof sent!.conversation.expiration_timestamp, 'number');
    assert.equal(delivered!.conversation.id, sent!.conversation.id);
    assert.equal(read!.conversation, undefined);
    // A second message in the same window joins the open conversation, without an expiration_timestamp.
    const second = await text(to);
    await s.advance(2000);
    const again = s.statusesOf(second)[0]!;
    assert.equal(again.conversation.id, sent!.conversation.id);
    assert.equal(again.conversation.expiration_timestamp, undefined);
  });

  it('echoes biz_opaque_callback_data on every status of the message', async () => {
    const to = await chattyCustomer();
    const id = await s.send({ to, text: { body: 'tracked' }, biz_opaque_callback_data: 'crm-ticket-42' });
    await s.advance(2000);
    const statuses = s.statusesOf(id);
    assert.equal(statuses.length, 3);
    for (const status of statuses) assert.equal(status.biz_opaque_callback_data, 'crm-ticket-42');
  });

  it('honours the per-status toggles: only the statuses asked for are called back', async () => {
    await s.settings({ webhooks: { message: { sent: false, delivered: true, read: false } }, sent_status: false });
    const to = await chattyCustomer();
    const id = await text(to);
    await s.advance(2000);
    assert.deepEqual(
      s.statusesOf(id).map((x) => x.status),
      ['delivered'],
    );
    const view = await s.t.request({ url: `/sandbox/customers/${to}/messages`, token: s.admin });
    assert.equal(view.body.messages.find((m: any) => m.id === id).status, 'read', 'the message was read all the same');
    await s.settings({ webhooks: { message: { sent: true, delivered: true, read: true } } });
  });

  it('fails a free-form message outside the 24-hour window with 470, and lets a template through', async () => {
    const to = await chattyCustomer();
    await s.advance(24 * HOUR + 1);
    const late = await text(to, 'are you there?');
    const template = await s.send({
      to,
      type: 'template',
      template: {
        namespace: 'openprem_sandbox',
        name: 'hello_world',
        language: { policy: 'deterministic', code: 'en_US' },
      },
    });
    await s.advance(2000);
    const failed = s.statusesOf(late);
    assert.deepEqual(
      failed.map((x) => x.status),
      ['failed'],
    );
    assert.equal(failed[0]!.errors[0].code, 470);
    assert.equal(failed[0]!.errors[0].title, 'Re-engagement message');
    const sent = s.statusesOf(template);
    assert.deepEqual(
      sent.map((x) => x.status),
      ['sent', 'delivered', 'read'],
    );
    assert.equal(sent[0]!.pricing.category, 'utility');
  });

  it('fails a template the registry does not have, or whose parameters do not match', async () => {
    const to = newCustomer();
    const missing = await s.send({
      to,
      type: 'template',
      template: { namespace: 'openprem_sandbox', name: 'no_such_template', language: { code: 'en_US' } },
    });
    const wrongCount = await s.send({
      to,
      type: 'template',
      template: {
        namespace: 'openprem_sandbox',
        name: 'hello_world',
        language: { code: 'en_US' },
        components: [{ type: 'body', parameters: [{ type: 'text', text: 'extra' }] }],
      },
    });
    await s.advance(2000);
    assert.equal(s.statusesOf(missing)[0]!.errors[0].code, 2001);
    assert.equal(s.statusesOf(wrongCount)[0]!.errors[0].code, 2000);
  });

  it('fails messages to numbers not on WhatsApp (1013) and to customers set to fail', async () => {
    const absent = newCustomer();
    await s.customer(absent, { on_whatsapp: false });
    const blocked = await chattyCustomer();
    await s.customer(blocked, { fail_with: 471 });
    const a = await text(absent);
    const b = await text(blocked);
    await s.advance(2000);
    assert.equal(s.statusesOf(a)[0]!.errors[0].code, 1013);
    assert.equal(s.statusesOf(b)[0]!.errors[0].code, 471);
    assert.equal(s.statusesOf(b)[0]!.errors[0].title, 'Spam Rate limit hit');
  });

  it('holds delivery for an offline customer until they come online; no read receipt when they are off', async () => {
    const to = await chattyCustomer();
    await s.customer(to, { online: false, read_receipts: false });
    const id = await text(to);
    await s.advance(5000);
    assert.deepEqual(
      s.statusesOf(id).map((x) => x.status),
      ['sent'],
    );
    await s.customer(to, { online: true });
    await s.advance(5000);
    assert.deepEqual(
      s.statusesOf(id).map((x) => x.status),
      ['sent', 'delivered'],
    );
  });

  it('reports each status once when the customer goes offline and online while a message is in flight', async () => {
    const to = await chattyCustomer();
    const id = await text(to);
    await s.advance(100);
    assert.deepEqual(
      s.statusesOf(id).map((x) => x.status),
      ['sent'],
    );
    // Back online before the first delivery was due: the receipts are scheduled a second time, beside the first.
    await s.customer(to, { online: false });
    await s.customer(to, { online: true });
    for (let step = 0; step < 8; step++) await s.advance(250);
    assert.deepEqual(
      s.statusesOf(id).map((x) => x.status),
      ['sent', 'delivered', 'read'],
    );
    const view = await s.t.request({ url: `/sandbox/customers/${to}/messages`, token: s.admin });
    assert.equal(view.body.messages.find((m: any) => m.id === id).status, 'read');
  });

  it('downloads media links when it sends, and fails the message when a link cannot be fetched', async () => {
    const to = await chattyCustomer();
    s.files.serve('/cat.jpg', fileOf('image/jpeg', 2048), 'image/jpeg');
    const good = await s.send({ to, type: 'image', image: { link: s.files.url('/cat.jpg'), caption: 'a cat' } });
    // Loopback, but not on the scenario's WA_MEDIA_LINK_ALLOW: refused before any connection is made.
    const bad = await s.send({
      to,
      type: 'document',
      document: { link: 'http://127.0.0.1:1/missing.pdf', filename: 'missing.pdf' },
    });
    await s.advance(2000);
    assert.deepEqual(
      s.statusesOf(good).map((x) => x.status),
      ['sent', 'delivered', 'read'],
    );
    assert.ok(
      s.files.requests.some((r) => r.path === '/cat.jpg'),
      'the link was fetched from the file server',
    );
    const [failed] = s.statusesOf(bad);
    assert.equal(failed!.status, 'failed');
    assert.equal(failed!.errors[0].code, 1014);
    assert.match(
      failed!.errors[0].details,
      /^Media download error: downloading http:\/\/127\.0\.0\.1:1\/missing\.pdf failed: 127\.0\.0\.1 is a loopback address/,
    );
  });

  it("presents the named media provider's credentials when it downloads a link", async () => {
    const providers = await s.t.request({
      method: 'POST',
      url: '/v1/settings/application/media/providers',
      token: s.admin,
      body: [{ name: 'crm-cdn', type: 'www', config: { bearer: 'cdn-token-0123456789' } }],
    });
    assert.equal(providers.status, 200, providers.text);
    const to = await chattyCustomer();
    s.files.serve('/private.jpg', fileOf('image/png', 4096), 'image/png');
    const signed = await s.send({
      to,
      type: 'image',
      image: { link: s.files.url('/private.jpg'), provider: { name: 'crm-cdn' } },
    });
    const unknown = await s.send({
      to,
      type: 'image',
      image: { link: s.files.url('/private.jpg'), provider: { name: 'nobody' } },
    });
    await s.advance(2000);
    assert.ok(
      s.files.requests.some((r) => r.headers.authorization === 'Bearer cdn-token-0123456789'),
      "the provider's bearer token was sent",
    );
    assert.equal(s.statusesOf(signed)[0]!.status, 'sent');
    assert.match(s.statusesOf(unknown)[0]!.errors[0].details, /no media provider named "nobody"/);
  });

  it('fails a message still undelivered when its ttl runs out with 410, and delivers nothing after', async () => {
    const to = newCustomer();
    await s.customer(to, { online: false });
    const template = { namespace: 'openprem_sandbox', name: 'hello_world', language: { code: 'en_US' } };
    const expiring = await s.send({ to, type: 'template', template, ttl: 'PT1H' });
    const patient = await s.send({ to, type: 'template', template, ttl: 'P1D' });
    await s.advance(HOUR + 1);
    const [sent, failed] = s.statusesOf(expiring);
    assert.equal(sent!.status, 'sent');
    assert.equal(failed!.status, 'failed');
    assert.equal(failed!.errors[0].code, 410);
    assert.equal(failed!.errors[0].title, 'Message expired');
    await s.customer(to, { online: true });
    await s.advance(5000);
    assert.deepEqual(
      s.statusesOf(expiring).map((x) => x.status),
      ['sent', 'failed'],
    );
    assert.deepEqual(
      s.statusesOf(patient).map((x) => x.status),
      ['sent', 'delivered', 'read'],
    );
  });

  it('resumes the simulation after a restart: scheduled statuses survive', async () => {
    const to = await chattyCustomer();
    const id = await text(to);
    await s.advance(150);
    assert.deepEqual(
      s.statusesOf(id).map((x) => x.status),
      ['sent'],
    );
    await s.t.restart();
    await s.advance(2000);
    assert.deepEqual(
      s.statusesOf(id).map((x) => x.status),
      ['sent', 'delivered', 'read'],
    );
  });
});
