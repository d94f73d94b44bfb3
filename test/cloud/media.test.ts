// Media on the cloud gateway against the fake Graph server: upload (checked as on the sandbox, then multipart to
// Graph) → send by local id (Graph gets the Cloud id); download of Cloud-only media streamed with the token and an
// expired URL fetched again; delete at Graph; adoptInboundMedia for the inbound half (idempotent, with and without
// download).
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { before, describe, it } from 'node:test';
import { assertError } from '../support/assertions.js';
import { cloudEnv, FAKE_PNID, type FakeGraph } from '../support/fake-graph.js';
import { fileOf } from '../support/file-server.js';
import { startCloudNode, type CloudNode } from '../support/cloud-node.js';
import { ADMIN_PASSWORD, suiteScope, type TestNode } from '../support/harness.js';
import { makePng } from '../support/images.js';

describe('cloud gateway: media', () => {
  let fake: FakeGraph;
  let t: TestNode;
  let admin: string;
  const png = makePng(200, 200);
  const upload = (payload: Buffer, type: string) =>
    t.request({ method: 'POST', url: '/v1/media', token: admin, payload, headers: { 'content-type': type } });
  const download = (id: string) =>
    t.node.app.server.inject({ method: 'GET', url: `/v1/media/${id}`, headers: { authorization: `Bearer ${admin}` } });

  let cloud: CloudNode;
  const suite = suiteScope();
  before(async () => {
    cloud = await startCloudNode(suite);
    ({ fake, t, admin } = cloud);
  });

  it('uploads to Graph as multipart, sends by local id with the Cloud id, serves the bytes locally', async () => {
    const uploaded = await upload(png, 'image/png');
    assert.equal(uploaded.status, 201, uploaded.text);
    const localId = uploaded.body.media[0].id;
    const graphUpload = fake.of('uploadMedia').at(-1)!;
    assert.equal(graphUpload.path, `/v23.0/${FAKE_PNID}/media`);
    assert.equal(graphUpload.body.messaging_product, 'whatsapp');
    assert.equal(graphUpload.body.type, 'image/png');
    assert.equal(graphUpload.body.file.sha256, createHash('sha256').update(png).digest('hex'));
    const cloudId = [...fake.media.keys()].at(-1)!;
    assert.notEqual(cloudId, localId);

    const sent = await t.request({
      method: 'POST',
      url: '/v1/messages',
      token: admin,
      body: { to: '16315551001', type: 'image', image: { id: localId, caption: 'a' } },
    });
    assert.equal(sent.status, 201, sent.text);
    assert.deepEqual(fake.of('sendMessage').at(-1)!.body.image, { id: cloudId, caption: 'a' });
    assert.deepEqual(fake.schemaViolations, []);

    const before = fake.requests.length;
    const got = await download(localId);
    assert.equal(got.statusCode, 200);
    assert.equal(got.headers['content-type'], 'image/png');
    assert.deepEqual(got.rawPayload, png);
    assert.equal(fake.requests.length, before, 'stored bytes are served without Graph');
  });

  it('uploads a stored file again once Meta has let its 30-day-old upload go', async () => {
    const localId = (await upload(png, 'image/png')).body.media[0].id;
    const firstCloudId = [...fake.media.keys()].at(-1)!;
    const send = () =>
      t.request({
        method: 'POST',
        url: '/v1/messages',
        token: admin,
        body: { to: '16315551001', type: 'image', image: { id: localId } },
      });
    assert.equal((await send()).status, 201);
    assert.equal(fake.of('sendMessage').at(-1)!.body.image.id, firstCloudId);

    t.clock.advance(29 * 86_400_000 + 1);
    admin = await t.login('admin', ADMIN_PASSWORD); // the old token expired meanwhile (7 days)
    const uploads = fake.of('uploadMedia').length;
    assert.equal((await send()).status, 201);
    assert.equal(fake.of('uploadMedia').length, uploads + 1, 'uploaded again');
    const secondCloudId = [...fake.media.keys()].at(-1)!;
    assert.notEqual(secondCloudId, firstCloudId);
    assert.equal(fake.of('sendMessage').at(-1)!.body.image.id, secondCloudId);
    assert.equal((await send()).status, 201);
    assert.equal(fake.of('uploadMedia').length, uploads + 1, 'the new upload serves the next sends');
  });

  it('refuses what the sandbox refuses before Graph sees it, and unknown media ids with 404 / 1006', async () => {
    const uploads = fake.of('uploadMedia').length;
    assertError(await upload(Buffer.from('not a png at all'), 'image/png'), 400, 1009);
    assert.equal(fake.of('uploadMedia').length, uploads);
    const sent = await t.request({
      method: 'POST',
      url: '/v1/messages',
      token: admin,
      body: { to: '16315551001', type: 'image', image: { id: 'f3c2a1b0-0000-4000-8000-000000000000' } },
    });
    assertError(sent, 404, 1006);
  });

  it('undoes an upload Graph refused', async () => {
    fake.failNext('uploadMedia', { code: 131053, message: '(#131053) Media upload error' });
    const response = await upload(png, 'image/png');
    assertError(response, 500, 1014, /Cloud API error 131053/);
    const rows = await t.node.db.db
      .selectFrom('media')
      .leftJoin('cloud_media', 'cloud_media.media_id', 'media.id')
      .select(['media.id', 'cloud_media.cloud_id'])
      .execute();
    assert.ok(
      rows.every((row) => row.cloud_id !== null),
      'no local media is left without its Cloud id',
    );
  });

  it('adopts inbound media once per Cloud id and streams it from Graph, fetching an expired URL again', async () => {
    const bytes = fileOf('audio/ogg', 5000);
    const cloudId = fake.addMedia(bytes, 'audio/ogg');
    const localId = await t.node.cloud!.adoptInboundMedia({ id: cloudId, mime_type: 'audio/ogg' }, { download: false });
    assert.equal(
      await t.node.cloud!.adoptInboundMedia({ id: cloudId, mime_type: 'audio/ogg' }, { download: false }),
      localId,
    );

    const first = await download(localId);
    assert.equal(first.statusCode, 200);
    assert.deepEqual(first.rawPayload, bytes);
    assert.equal(first.headers['content-type'], 'audio/ogg');
    assert.equal(fake.of('getMediaUrl').length, 1);
    const fetched = fake.of('downloadMedia').at(-1)!;
    assert.equal(fetched.headers.authorization, `Bearer ${cloudEnv(fake).WA_CLOUD_ACCESS_TOKEN}`);

    fake.expireMediaUrls();
    const second = await download(localId);
    assert.equal(second.statusCode, 200);
    assert.deepEqual(second.rawPayload, bytes);
    assert.equal(fake.of('getMediaUrl').length, 2, 'the expired URL was fetched again');
  });

  it('answers 404 once Meta no longer has media it never stored here', async () => {
    const cloudId = fake.addMedia(fileOf('audio/ogg', 100), 'audio/ogg');
    const localId = await t.node.cloud!.adoptInboundMedia({ id: cloudId, mime_type: 'audio/ogg' }, { download: false });
    assert.equal((await download(localId)).statusCode, 200);
    fake.media.delete(cloudId);
    fake.expireMediaUrls();
    assert.equal((await download(localId)).statusCode, 404);
  });

  it('adopts with download: the bytes outlive the Cloud media', async () => {
    const bytes = fileOf('image/jpeg', 3000);
    const cloudId = fake.addMedia(bytes, 'image/jpeg');
    const localId = await t.node.cloud!.adoptInboundMedia(
      { id: cloudId, mime_type: 'image/jpeg', sha256: 'x' },
      { download: true },
    );
    fake.media.delete(cloudId);
    const got = await download(localId);
    assert.equal(got.statusCode, 200);
    assert.deepEqual(got.rawPayload, bytes);
  });

  it('deletes at Graph and here', async () => {
    const uploaded = await upload(png, 'image/png');
    const localId = uploaded.body.media[0].id;
    const cloudId = [...fake.media.keys()].at(-1)!;
    const response = await t.request({ method: 'DELETE', url: `/v1/media/${localId}`, token: admin });
    assert.equal(response.status, 200, response.text);
    assert.equal(fake.of('deleteMedia').at(-1)!.path, `/v23.0/${cloudId}`);
    assert.ok(!fake.media.has(cloudId));
    assert.equal((await download(localId)).statusCode, 404);
    assertError(await t.request({ method: 'DELETE', url: `/v1/media/${localId}`, token: admin }), 404, 1006);
  });
});
