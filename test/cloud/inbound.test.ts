// /cloud/webhook on a real node and database: Meta's subscription check, the signature over the raw bytes, the
// durable store before the 200, every entry and change translated, Meta's retries dropped, and a restart between
// the 200 and the translation losing nothing.
import assert from 'node:assert/strict';
import { ApiError } from '../../src/errors.js';
import { before, beforeEach, describe, it, type TestContext } from 'node:test';
import { signCloudWebhook } from '../../src/modes/cloud/inbound/signature.js';
import { MEDIA_ATTEMPTS } from '../../src/modes/cloud/inbound/worker.js';
import { assertError } from '../support/assertions.js';
import {
  CLOUD_VERIFY_TOKEN,
  CUSTOMER,
  assertMetaShaped,
  cloudStatus,
  cloudWebhook,
  inboundMessage,
  inboundWebhook,
  messagesChange,
  postCloudWebhook,
  senderContacts,
  signedRequest,
  statusWebhook,
  wamid,
} from '../support/cloud-webhooks.js';
import { startCloudScenario, type CloudScenario } from '../support/cloud-scenario.js';
import { startTestNode, suiteScope } from '../support/harness.js';

async function metricValue(
  s: CloudScenario,
  name: 'cloudWebhookIgnored' | 'cloudWebhooksReceived',
  labels: Record<string, string>,
): Promise<number> {
  const metric = await s.t.node.metrics[name].get();
  const match = metric.values.find((v) =>
    Object.entries(labels).every(([k, value]) => (v.labels as Record<string, unknown>)[k] === value),
  );
  return match?.value ?? 0;
}

describe('cloud webhook: subscription check and signatures', () => {
  let s: CloudScenario;
  const suite = suiteScope();
  before(async () => {
    s = await startCloudScenario(suite);
  });

  const verify = (query: string) => s.t.request({ url: `/cloud/webhook?${query}` });
  const stored = async () =>
    Number(
      (
        await s.t.node.db.db
          .selectFrom('cloud_webhooks')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  it("answers Meta's subscription check with the challenge as plain text, without a bearer token", async () => {
    const response = await verify(`hub.mode=subscribe&hub.verify_token=${CLOUD_VERIFY_TOKEN}&hub.challenge=1158201444`);
    assert.equal(response.status, 200);
    assert.equal(response.text, '1158201444');
    assert.match(String(response.headers['content-type']), /^text\/plain/);
  });

  it('refuses a wrong token or mode with 403 in the envelope', async () => {
    assertError(await verify('hub.mode=subscribe&hub.verify_token=not-the-token&hub.challenge=1'), 403, 1005);
    assertError(await verify(`hub.mode=unsubscribe&hub.verify_token=${CLOUD_VERIFY_TOKEN}&hub.challenge=1`), 403, 1005);
    assertError(await verify('hub.challenge=1'), 403, 1005);
  });

  it('refuses a missing, wrong or re-serialised signature with 403, storing and delivering nothing', async () => {
    const body = inboundWebhook(inboundMessage('text', { body: 'forged' }));
    const raw = JSON.stringify(body);
    const attempts = [
      await postCloudWebhook(s.t, body, { signature: null }),
      await postCloudWebhook(s.t, body, { signature: signCloudWebhook(raw, 'another0app0secret0value') }),
      // Signed over the same JSON written differently: the bytes, not the value, are what Meta signed.
      await postCloudWebhook(s.t, JSON.stringify(body, null, 2), {
        signature: signCloudWebhook(raw, s.t.env.WA_CLOUD_APP_SECRET!),
      }),
      await postCloudWebhook(s.t, body, { signature: 'sha256=zz' }),
    ];
    for (const response of attempts) assertError(response, 403, 1005);
    await s.deliver();
    assert.equal(await stored(), 0);
    assert.deepEqual(s.callbacks(), []);
    assert.equal(await metricValue(s, 'cloudWebhooksReceived', { result: 'bad_signature' }), 4);
  });

  it('refuses a signed body that is not JSON with 400 and stores nothing', async () => {
    const response = await postCloudWebhook(s.t, '{"object": "whatsapp_business_account", ');
    assertError(response, 400, 1025);
    assert.equal(await stored(), 0);
  });

  it('takes a signed body whatever its content type, and refuses one over 3 MB with 413', async () => {
    const signed = signedRequest(inboundWebhook(inboundMessage('text', { body: 'no content type' })));
    const untyped = await s.t.request({
      method: 'POST',
      url: '/cloud/webhook',
      payload: signed.payload,
      headers: { 'x-hub-signature-256': signed.signature },
    });
    assert.equal(untyped.status, 200, untyped.text);
    const huge = signedRequest(
      `{"object":"whatsapp_business_account","entry":[],"padding":"${'x'.repeat(3 * 1024 * 1024)}"}`,
    );
    const response = await s.t.request({
      method: 'POST',
      url: '/cloud/webhook',
      payload: huge.payload,
      headers: { 'content-type': 'application/json', 'x-hub-signature-256': huge.signature },
    });
    assertError(response, 413, 1025);
  });

  it('answers 405 to other methods', async () => {
    const response = await s.t.request({ method: 'PUT', url: '/cloud/webhook' });
    assertError(response, 405, 1025);
    assert.equal(response.headers.allow, 'GET, POST');
  });

  it('is not served on the sandbox gateway', async (t) => {
    const sandbox = await startTestNode(t);
    assert.equal(
      (
        await sandbox.request({
          url: `/cloud/webhook?hub.mode=subscribe&hub.verify_token=${CLOUD_VERIFY_TOKEN}&hub.challenge=1`,
        })
      ).status,
      404,
    );
    assert.equal((await postCloudWebhook(sandbox, inboundWebhook(inboundMessage('text', { body: 'hi' })))).status, 404);
  });
});

describe('cloud webhook: translation', () => {
  let s: CloudScenario;
  // A fresh scenario for each test, closed when that test ends (an each-test hook runs with the test's context).
  beforeEach(async (t) => (s = await startCloudScenario(t as TestContext)));

  it('forwards every entry and every change, and ignores (and counts) other fields and numbers', async () => {
    const [sentA, sentB] = [wamid(), wamid()];
    await s.insertSent(sentA);
    const first = inboundMessage('text', { body: 'first' });
    const second = inboundMessage('text', { body: 'second' }, { from: '16315551235' });
    const body = cloudWebhook(
      [
        messagesChange({ contacts: senderContacts(), messages: [first] }),
        messagesChange({ statuses: [cloudStatus(sentA, 'delivered'), cloudStatus(sentB, 'read')] }),
      ],
      [
        messagesChange({ contacts: senderContacts('16315551235', 'Kerry'), messages: [second] }),
        messagesChange({
          errors: [
            {
              code: 131000,
              title: 'Something went wrong',
              message: 'Something went wrong',
              error_data: { details: 'try again' },
            },
          ],
        }),
        messagesChange(
          { contacts: senderContacts(), messages: [inboundMessage('text', { body: 'not ours' })] },
          '999999999999999',
        ),
        { field: 'message_template_status_update', value: { event: 'APPROVED', message_template_id: 1 } },
      ],
    );
    await s.post(body);
    await s.deliver();
    const callbacks = s.callbacks();
    assert.equal(callbacks.length, 5, JSON.stringify(callbacks));
    assert.deepEqual(
      callbacks
        .flatMap((c) => c.messages ?? [])
        .map((m) => m.text.body)
        .sort(),
      ['first', 'second'],
    );
    assert.deepEqual(
      callbacks
        .flatMap((c) => c.statuses ?? [])
        .map((st) => `${st.id}:${st.status}`)
        .sort(),
      [`${sentA}:delivered`, `${sentB}:read`].sort(),
    );
    assert.deepEqual(callbacks.find((c) => c.errors)?.errors, [
      { code: 1000, title: 'Generic error', details: 'Cloud API error 131000: Something went wrong: try again' },
    ]);
    assert.equal(await metricValue(s, 'cloudWebhookIgnored', { reason: 'field' }), 1);
    assert.equal(await metricValue(s, 'cloudWebhookIgnored', { reason: 'phone_number_id' }), 1);
    assert.equal(
      (await s.t.node.db.db.selectFrom('messages').select('status').where('id', '=', sentA).executeTakeFirstOrThrow())
        .status,
      'delivered',
    );
  });

  it("delivers Meta's retry of a webhook once, and a status repeated in another webhook once", async () => {
    const sent = wamid();
    await s.insertSent(sent);
    const message = inboundWebhook(inboundMessage('text', { body: 'hello' }));
    assertMetaShaped(message);
    await s.post(message);
    await s.post(message);
    await s.post(statusWebhook(cloudStatus(sent, 'delivered')));
    await s.deliver();
    // Another batching of the same status (and a new one): only the new one goes out.
    await s.post(statusWebhook(cloudStatus(sent, 'read'), cloudStatus(sent, 'delivered')));
    await s.deliver();
    const callbacks = s.callbacks();
    assert.equal(callbacks.filter((c) => c.messages).length, 1);
    assert.deepEqual(
      callbacks.flatMap((c) => c.statuses ?? []).map((st) => st.status),
      ['delivered', 'read'],
    );
    assert.equal(await metricValue(s, 'cloudWebhookIgnored', { reason: 'duplicate' }), 2);
  });

  it('forwards a status repeated within one webhook once; the repeat does not move the message', async () => {
    await s.settings({ webhooks: { message: { sent: true, delivered: true, read: true } } });
    const sent = wamid();
    await s.insertSent(sent);
    const at = (seconds: number) => ({ timestamp: String(1750000000 + seconds) });
    await s.post(statusWebhook(cloudStatus(sent, 'sent', at(100))));
    await s.deliver();
    // One batch that repeats the delivery and the read, each the second time later; then another repeat of the read.
    await s.post(
      statusWebhook(
        cloudStatus(sent, 'delivered', at(200)),
        cloudStatus(sent, 'delivered', at(300)),
        cloudStatus(sent, 'read', at(400)),
        cloudStatus(sent, 'read', at(500)),
      ),
    );
    await s.post(statusWebhook(cloudStatus(sent, 'read', at(600))));
    await s.deliver();
    assert.deepEqual(
      s
        .callbacks()
        .flatMap((c) => c.statuses ?? [])
        .map((st) => `${st.status}@${st.timestamp}`),
      ['sent@1750000100', 'delivered@1750000200', 'read@1750000400'],
    );
    const row = await s.t.node.db.db
      .selectFrom('messages')
      .select(['status', 'delivered_at', 'read_at'])
      .where('id', '=', sent)
      .executeTakeFirstOrThrow();
    assert.deepEqual(
      { ...row, delivered_at: Number(row.delivered_at), read_at: Number(row.read_at) },
      { status: 'read', delivered_at: 1750000200_000, read_at: 1750000400_000 },
    );
  });

  it('forwards a message repeated within one webhook once, and the rest of that webhook with it', async () => {
    const message = inboundMessage('text', { body: 'said twice' });
    const other = inboundMessage('text', { body: 'said once' });
    await s.post(cloudWebhook([messagesChange({ contacts: senderContacts(), messages: [message, message, other] })]));
    await s.deliver();
    assert.deepEqual(
      s
        .callbacks()
        .flatMap((c) => c.messages ?? [])
        .map((m) => m.text.body),
      ['said twice', 'said once'],
    );
  });

  it('translates a webhook stored before a restart: the 200 was a promise', async () => {
    await s.t.node.cloudInbound!.stop();
    const message = inboundMessage('text', { body: 'kept across the restart' });
    await s.post(inboundWebhook(message));
    assert.deepEqual(s.callbacks(), []);
    await s.t.restart();
    await s.deliver();
    assert.deepEqual(s.callbacks(), [
      {
        contacts: [{ profile: { name: CUSTOMER.name }, wa_id: CUSTOMER.waId }],
        messages: [
          {
            from: CUSTOMER.waId,
            id: message.id,
            timestamp: '1750000000',
            type: 'text',
            text: { body: 'kept across the restart' },
          },
        ],
      },
    ]);
    // The message is stored under its wamid: the business can mark it read.
    const read = await s.t.request({
      method: 'PUT',
      url: `/v1/messages/${encodeURIComponent(message.id as string)}`,
      token: await s.t.adminToken(),
      body: { status: 'read' },
    });
    assert.equal(read.status, 200, read.text);
  });

  it("forgets translated webhooks and their dedupe keys after Meta's 7-day retry horizon", async () => {
    const sent = wamid();
    await s.insertSent(sent);
    await s.post(statusWebhook(cloudStatus(sent, 'delivered')));
    await s.deliver();
    const count = async (table: 'cloud_webhooks' | 'cloud_webhook_keys') =>
      Number(
        (
          await s.t.node.db.db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    s.t.clock.advance(6 * 24 * 3600_000);
    await s.t.node.garbageCollector.collectAll();
    assert.deepEqual(
      [await count('cloud_webhooks'), await count('cloud_webhook_keys')],
      [1, 2],
      'a retry may still come',
    );
    s.t.clock.advance(2 * 24 * 3600_000);
    const collected = await s.t.node.garbageCollector.collectAll();
    assert.equal(collected.cloud_webhooks, 1);
    assert.equal(collected.cloud_webhook_keys, 2);
  });

  it('holds a media message while the media map fails, then delivers it', async () => {
    s.media.failWith(new Error('Graph is unreachable'));
    const image = inboundMessage('image', {
      mime_type: 'image/jpeg',
      sha256: 'SfInY0gGKTsJlUWbwxC1k+FAD0FZHvzwfpvO0zX0GUI=',
      id: '1003383421387256',
    });
    await s.post(inboundWebhook(image));
    await s.deliver();
    assert.deepEqual(s.callbacks(), []);
    s.media.failWith(null);
    s.t.clock.advance(5000);
    await s.deliver();
    assert.equal(s.callbacks().length, 1);
    assert.equal(s.callbacks()[0].messages[0].image.id, 'local-1003383421387256');
  });

  it('delivers a media message undownloaded at once when Meta no longer has its media (retrying cannot help)', async () => {
    s.media.failWith(new ApiError('notFound', 'Cloud media 1003383421387258 is no longer available at Meta'));
    const image = inboundMessage('image', { mime_type: 'image/jpeg', id: '1003383421387258' });
    await s.post(inboundWebhook(image));
    await s.deliver();
    s.media.failWith(null);
    assert.deepEqual(s.callbacks()[0]?.messages[0].image, { mime_type: 'image/jpeg', status: 'undownloaded' });
  });

  it('delivers a media message undownloaded, as On-Prem did, once the media map failed for an hour', async () => {
    s.media.failWith(new Error('Graph is unreachable'));
    const image = inboundMessage('image', {
      caption: 'lost',
      mime_type: 'image/jpeg',
      sha256: 'SfInY0gGKTsJlUWbwxC1k+FAD0FZHvzwfpvO0zX0GUI=',
      id: '1003383421387257',
    });
    await s.post(inboundWebhook(image));
    for (let attempt = 1; attempt < MEDIA_ATTEMPTS; attempt++) {
      await s.deliver();
      assert.deepEqual(s.callbacks(), [], `attempt ${attempt} holds the message`);
      s.t.clock.advance(15 * 60_000);
    }
    await s.deliver();
    assert.deepEqual(s.callbacks()[0]?.messages[0].image, {
      mime_type: 'image/jpeg',
      sha256: Buffer.from('SfInY0gGKTsJlUWbwxC1k+FAD0FZHvzwfpvO0zX0GUI=', 'base64').toString('hex'),
      caption: 'lost',
      status: 'undownloaded',
    });
  });
});
