// The cloud gateway end to end, both halves together against the fake Graph server: a file uploaded through
// POST /v1/media is sent by its local id (Graph gets the Cloud id), the customer answers with a photo of their own
// through a signed Meta webhook, and the integration downloads that photo by the local id its callback carried.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { before, describe, it } from 'node:test';
import { startCloudScenario, type CloudScenario } from '../support/cloud-scenario.js';
import { CUSTOMER, inboundMessage, inboundWebhook } from '../support/cloud-webhooks.js';
import { suiteScope } from '../support/harness.js';
import { makeJpeg, makePng } from '../support/images.js';

describe('cloud gateway: media upload → send → inbound media download', () => {
  let s: CloudScenario;
  const suite = suiteScope();
  before(async () => {
    s = await startCloudScenario(suite, { realMediaMap: true });
  });

  const download = (id: string) =>
    s.t.node.app.server.inject({
      method: 'GET',
      url: `/v1/media/${id}`,
      headers: { authorization: `Bearer ${s.admin}` },
    });

  for (const autoDownload of [true, false]) {
    it(`round-trips with media.auto_download ${autoDownload ? 'on' : 'off'} for images`, async () => {
      await s.settings({ media: { auto_download: autoDownload ? ['image'] : [] } });
      const png = makePng(200, 200);
      const uploaded = await s.t.request({
        method: 'POST',
        url: '/v1/media',
        token: s.admin,
        payload: png,
        headers: { 'content-type': 'image/png' },
      });
      assert.equal(uploaded.status, 201, uploaded.text);
      const sent = await s.t.request({
        method: 'POST',
        url: '/v1/messages',
        token: s.admin,
        body: { to: CUSTOMER.waId, type: 'image', image: { id: uploaded.body.media[0].id, caption: 'our catalogue' } },
      });
      assert.equal(sent.status, 201, sent.text);
      const cloudId = [...s.graph.media.keys()].at(-1);
      assert.ok(cloudId && s.graph.media.get(cloudId)!.bytes.equals(png), 'the upload reached Graph');
      assert.deepEqual(s.graph.of('sendMessage').at(-1)!.body.image, { id: cloudId, caption: 'our catalogue' });

      const photo = makeJpeg(320, 240);
      const customerCloudId = s.graph.addMedia(photo, 'image/jpeg');
      const sha256 = createHash('sha256').update(photo).digest('base64');
      await s.post(inboundWebhook(inboundMessage('image', { id: customerCloudId, mime_type: 'image/jpeg', sha256 })));
      await s.deliver();
      const callback = s.callbacks().at(-1);
      const image = callback.messages[0].image;
      assert.equal(image.mime_type, 'image/jpeg');
      assert.equal(image.sha256, createHash('sha256').update(photo).digest('hex'));
      assert.notEqual(image.id, customerCloudId, 'the integration gets a local id');

      // Meta's short-lived URLs expire: a downloaded file is served from the store, the other fetched again.
      s.graph.expireMediaUrls();
      const bytes = await download(image.id);
      assert.equal(bytes.statusCode, 200);
      assert.equal(bytes.headers['content-type'], 'image/jpeg');
      assert.ok(bytes.rawPayload.equals(photo));
    });
  }
});
