// Media a virtual customer sends (POST /sandbox/inbound with base64 `data` or a `link`): the webhook's media object
// (docs/api/webhooks.md#inbound-messages), downloaded or not according to media.auto_download, the file behind
// GET /v1/media/{id}; and the customer's side: what they received, fetched through
// /sandbox/customers/{wa_id}/messages/{id}/media.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { before, describe, it } from 'node:test';
import { assertError } from '../support/assertions.js';
import { fileOf } from '../support/file-server.js';
import { suiteScope } from '../support/harness.js';
import { startMessagingScenario, type MessagingScenario } from '../support/messaging.js';

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe("inbound media and the customer's files", () => {
  let s: MessagingScenario;
  let waId = 16315556000;
  const from = () => String(++waId);
  /** Sends an inbound message and answers the message object its webhook carried. */
  const receive = async (body: Record<string, unknown>) => {
    const id = await s.inbound(body);
    await s.advance(0);
    const callback = s.receiver.received.find((r) => r.body?.messages?.[0]?.id === id);
    assert.ok(callback, 'the webhook arrived');
    return callback.body.messages[0];
  };
  const get = (url: string) => s.t.node.app.server.inject({ url, headers: { authorization: `Bearer ${s.admin}` } });

  const suite = suiteScope();
  before(async () => {
    s = await startMessagingScenario(suite);
  });

  it('downloads an image sent as base64 data (auto_download on): the webhook carries id, type, sha256 and caption', async () => {
    const file = fileOf('image/png', 20_000);
    const sender = from();
    const message = await receive({
      from: sender,
      type: 'image',
      image: { data: file.toString('base64'), caption: 'my receipt' },
    });
    assert.equal(message.type, 'image');
    assert.deepEqual(Object.keys(message.image), ['id', 'mime_type', 'sha256', 'caption']);
    assert.match(message.image.id, UUID);
    assert.equal(message.image.mime_type, 'image/png', 'found from the bytes');
    assert.equal(message.image.sha256, sha256(file));
    const got = await get(`/v1/media/${message.image.id}`);
    assert.equal(got.statusCode, 200);
    assert.equal(got.headers['content-type'], 'image/png');
    assert.ok(got.rawPayload.equals(file));
    // The customer's side shows where the file is, and serves it.
    const view = await s.t.request({ url: `/sandbox/customers/${sender}/messages`, token: s.admin });
    const seen = view.body.messages.find((m: any) => m.id === message.id);
    assert.equal(seen.media_url, `/sandbox/customers/${sender}/messages/${message.id}/media`);
    assert.ok((await get(seen.media_url)).rawPayload.equals(file));
  });

  it('sends voice notes as type voice in Ogg Opus, and documents by link with their filename', async () => {
    const voice = fileOf('audio/ogg', 9000);
    const note = await receive({ from: from(), type: 'voice', voice: { data: voice.toString('base64') } });
    assert.equal(note.type, 'voice');
    assert.equal(note.voice.mime_type, 'audio/ogg; codecs=opus');
    assert.equal(note.voice.sha256, sha256(voice));
    const pdf = fileOf('application/pdf', 300_000);
    s.files.serve('/invoice.pdf', pdf, 'application/pdf');
    const doc = await receive({
      from: from(),
      type: 'document',
      document: { link: s.files.url('/invoice.pdf'), filename: 'invoice.pdf', caption: 'March' },
    });
    assert.deepEqual(Object.keys(doc.document), ['id', 'mime_type', 'sha256', 'caption', 'filename']);
    assert.equal(doc.document.mime_type, 'application/pdf');
    assert.equal(doc.document.filename, 'invoice.pdf');
    assert.ok((await get(`/v1/media/${doc.document.id}`)).rawPayload.equals(pdf));
  });

  it('does not download a type auto_download leaves out: status "undownloaded" and no id, nothing stored', async () => {
    await s.settings({ media: { auto_download: ['video', 'voice', 'document'] } });
    const file = fileOf('image/jpeg', 4000);
    const sender = from();
    const message = await receive({ from: sender, type: 'image', image: { data: file.toString('base64') } });
    assert.deepEqual(message.image, { mime_type: 'image/jpeg', sha256: sha256(file), status: 'undownloaded' });
    const described = await receive({ from: sender, type: 'sticker', sticker: {} });
    assert.equal(described.sticker.status, 'undownloaded');
    assert.equal(described.sticker.id, undefined);
    assertError(
      await s.t.request({ url: `/sandbox/customers/${sender}/messages/${message.id}/media`, token: s.admin }),
      404,
      1006,
      /did not download/,
    );
    const stored = await s.t.node.db.db
      .selectFrom('media')
      .select('sha256')
      .where('sha256', '=', sha256(file))
      .execute();
    assert.deepEqual(stored, []);
    await s.settings({ media: { auto_download: ['image', 'video', 'voice', 'sticker', 'audio', 'document'] } });
  });

  it('keeps the description-only form: an id that can be sent on, but no bytes behind GET', async () => {
    const message = await receive({
      from: from(),
      type: 'image',
      image: { mime_type: 'image/png', caption: 'described' },
    });
    assert.match(message.image.id, UUID);
    assert.equal((await get(`/v1/media/${message.image.id}`)).statusCode, 404);
    const sent = await s.t.request({
      method: 'POST',
      url: '/v1/messages',
      token: s.admin,
      body: { to: message.from, type: 'image', image: { id: message.image.id } },
    });
    assert.equal(sent.status, 201, sent.text);
  });

  it('refuses files WhatsApp would not take, and links to refused addresses, with 400 / 1009', async () => {
    const post = (body: object) =>
      s.t.request({ method: 'POST', url: '/sandbox/inbound', token: s.admin, body: { from: from(), ...body } });
    assertError(
      await post({ type: 'image', image: { data: Buffer.from('<html>').toString('base64') } }),
      400,
      1009,
      /^image\.data: the file's bytes are not an image file/,
    );
    assertError(
      await post({
        type: 'image',
        image: { data: fileOf('image/png', 100).toString('base64'), mime_type: 'image/jpeg' },
      }),
      400,
      1009,
      /^image\.data: the file's bytes are not image\/jpeg data/,
    );
    assertError(
      await post({ type: 'sticker', sticker: { data: fileOf('image/webp', 100 * 1024 + 1).toString('base64') } }),
      400,
      1009,
      /^sticker\.data: sticker files are limited to 100 KB/,
    );
    assertError(
      await post({ type: 'document', document: { link: 'http://127.0.0.1:1/x.pdf' } }),
      400,
      1009,
      /^document\.link: 127\.0\.0\.1 is a loopback address/,
    );
    assertError(
      await post({ type: 'audio', audio: { link: s.files.url('/missing.mp3') } }),
      400,
      1009,
      /^audio\.link: answered HTTP 404$/,
    );
  });

  it('serves what the customer received: by id from the store, by link from the link; nothing for a failed message', async () => {
    const to = from();
    await receive({ from: to, type: 'text', text: { body: 'hello' } });
    const uploaded = fileOf('video/mp4', 70_000);
    const upload = await s.t.request({
      method: 'POST',
      url: '/v1/media',
      token: s.admin,
      payload: uploaded,
      headers: { 'content-type': 'video/mp4' },
    });
    const byId = await s.send({ to, type: 'video', video: { id: upload.body.media[0].id } });
    const linked = fileOf('audio/mpeg', 30_000);
    s.files.serve('/song.mp3', linked, 'audio/mpeg');
    const byLink = await s.send({ to, type: 'audio', audio: { link: s.files.url('/song.mp3') } });
    const failed = await s.send({ to, type: 'image', image: { link: 'http://10.0.0.1/x.jpg' } });
    await s.advance(2000);
    const video = await get(`/sandbox/customers/${to}/messages/${byId}/media`);
    assert.equal(video.headers['content-type'], 'video/mp4');
    assert.ok(video.rawPayload.equals(uploaded));
    const audio = await get(`/sandbox/customers/${to}/messages/${byLink}/media`);
    assert.equal(audio.headers['content-type'], 'audio/mpeg');
    assert.ok(audio.rawPayload.equals(linked));
    assertError(
      await s.t.request({ url: `/sandbox/customers/${to}/messages/${failed}/media`, token: s.admin }),
      404,
      1006,
      /has not received .*failed/,
    );
    assertError(
      await s.t.request({ url: `/sandbox/customers/${from()}/messages/${byId}/media`, token: s.admin }),
      404,
      1006,
      /not in the chat/,
    );
  });
});
