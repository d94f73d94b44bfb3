// POST/GET/DELETE /v1/media through the HTTP layer, on both stores (directory and database) and both dialects:
// every type round-trips at its size limit byte for byte and is refused one byte over; signatures are checked;
// refusals leave nothing behind; uploaded ids work for sending; retention follows garbagecollector_enable.media.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { before, describe, it } from 'node:test';
import { assertError } from '../support/assertions.js';
import { fileOf } from '../support/file-server.js';
import { eventually, suiteScope } from '../support/harness.js';
import { startMessagingScenario, type MessagingScenario } from '../support/messaging.js';
import { checkRouteSecurity } from '../support/security.js';
import { ABANDONED_UPLOAD_MS } from '../../src/services/media/retention.js';

const KB = 1024;
const MB = 1024 * KB;
const DAY = 86_400_000;

// Every upload type of the table in docs/api/media.md#media-kinds-and-limits at its limit; documents of any other
// type share the 100 MB.
const LIMITS: [mimeType: string, limit: number][] = [
  ['image/jpeg', 5 * MB],
  ['image/png', 5 * MB],
  ['image/webp', 100 * KB],
  ['audio/aac', 16 * MB],
  ['audio/mp4', 16 * MB],
  ['audio/amr', 16 * MB],
  ['audio/mpeg', 16 * MB],
  ['audio/ogg; codecs=opus', 16 * MB],
  ['video/mp4', 16 * MB],
  ['video/3gpp', 16 * MB],
  ['application/pdf', 100 * MB],
];

/** `size` bytes of `mimeType` as a stream of 1 MB chunks, so that no test holds a 100 MB request body. */
function streamOf(mimeType: string, size: number): Readable {
  const head = fileOf(mimeType.split(';')[0]!, Math.min(size, 64));
  return Readable.from(
    (function* () {
      yield head;
      for (let sent = head.length; sent < size; sent += MB) yield Buffer.alloc(Math.min(MB, size - sent), 0x2a);
    })(),
  );
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

for (const store of ['directory', 'database'] as const) {
  describe(`media API (${store} store)`, () => {
    let s: MessagingScenario;
    let user: string;
    const upload = (
      payload: Buffer | Readable | undefined,
      contentType?: string,
      headers: Record<string, string> = {},
    ) =>
      s.t.request({
        method: 'POST',
        url: '/v1/media',
        token: user,
        headers: { ...(contentType ? { 'content-type': contentType } : {}), ...headers },
        ...(payload ? { payload: payload as Buffer } : {}),
      });
    const download = (id: string) =>
      s.t.node.app.server.inject({
        method: 'GET',
        url: `/v1/media/${id}`,
        headers: { authorization: `Bearer ${user}` },
      });
    const uploaded = async (payload: Buffer | Readable, contentType: string) => {
      const response = await upload(payload, contentType);
      assert.equal(response.status, 201, response.text);
      return response.body.media[0].id as string;
    };
    /** Nothing of a refused or deleted file may stay: no journal entry, no chunk, no file. */
    const assertNothingLeft = async (label: string) => {
      const db = s.t.node.db.db;
      assert.deepEqual(await db.selectFrom('media_pending').selectAll().execute(), [], `${label}: journal`);
      const known = new Set((await db.selectFrom('media').select('storage_key').execute()).map((r) => r.storage_key));
      const chunks = await db.selectFrom('media_chunks').select('storage_key').distinct().execute();
      assert.deepEqual(
        chunks.filter((c) => !known.has(`database:${c.storage_key}`)),
        [],
        `${label}: chunks`,
      );
      const files = await readdir(path.join(s.t.env.WA_DATA_DIR!, 'media'), { recursive: true }).catch(
        () => [] as string[],
      );
      const ids = files.map((f) => path.basename(f)).filter((f) => f.length === 36);
      assert.deepEqual(
        ids.filter((id) => !known.has(`directory:${id}`)),
        [],
        `${label}: files`,
      );
    };

    const suite = suiteScope();
    before(async () => {
      // Two days of retention, so that the retention test's clock stays within the tokens' 7-day life.
      s = await startMessagingScenario(suite, { env: { WA_MEDIA_STORE: store, WA_MEDIA_RETENTION_DAYS: '2' } });
      user = await s.t.userToken();
    });

    it('round-trips every type at its size limit: 201 with a UUID, then the same bytes with Content-Type and Content-Length', async () => {
      for (const [mimeType, limit] of LIMITS) {
        const file = fileOf(mimeType.split(';')[0]!, limit);
        const response = await upload(file, mimeType);
        assert.equal(response.status, 201, `${mimeType}: ${response.text}`);
        assert.deepEqual(Object.keys(response.body), ['media', 'meta']);
        const id = response.body.media[0].id;
        assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
        const got = await download(id);
        assert.equal(got.statusCode, 200, mimeType);
        assert.equal(got.headers['content-type'], mimeType);
        assert.equal(got.headers['content-length'], String(limit));
        assert.ok(got.rawPayload.equals(file), `${mimeType}: byte-identical`);
        const row = await s.t.node.db.db.selectFrom('media').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
        assert.equal(row.sha256, sha256(file), `${mimeType}: sha256 recorded`);
        assert.equal(Number(row.file_size), limit);
        assert.ok(row.storage_key?.startsWith(`${store}:`), row.storage_key ?? 'no key');
      }
    });

    it('refuses every type one byte over its limit with 413 / 1025, announced or streamed, and keeps nothing', async () => {
      for (const [mimeType, limit] of LIMITS) {
        // Announced by Content-Length: refused before a byte is read.
        const announced = await upload(streamOf(mimeType, 1), mimeType, { 'content-length': String(limit + 1) });
        assertError(announced, 413, 1025, /files are limited to/);
        assert.equal(announced.headers.connection, 'close', 'the rest of the body is not drained');
      }
      // Streamed without a length: refused at the first byte too many.
      for (const [mimeType, limit] of [LIMITS[0]!, LIMITS[2]!, LIMITS[3]!, LIMITS[10]!]) {
        assertError(
          await upload(streamOf(mimeType, limit + 1), mimeType),
          413,
          1025,
          new RegExp(`limited to .* \\(${limit} bytes\\)`),
        );
      }
      await assertNothingLeft('over the limit');
    });

    it('checks the bytes against the Content-Type (file signatures), not the header alone', async () => {
      const png = fileOf('image/png', 2 * KB);
      assertError(
        await upload(png, 'image/jpeg'),
        400,
        1009,
        /^the file's bytes are not image\/jpeg data, as its Content-Type says$/,
      );
      assertError(
        await upload(Buffer.from('<html><body>hi</body></html>'), 'application/pdf'),
        400,
        1009,
        /application\/pdf/,
      );
      assertError(await upload(fileOf('video/mp4', 4 * KB), 'audio/ogg'), 400, 1009, /audio\/ogg/);
      assertError(await upload(fileOf('image/jpeg', 4 * KB), 'image/webp'), 400, 1009, /image\/webp/);
      assertError(await upload(Buffer.from([0xff, 0xd8]), 'image/jpeg'), 400, 1009, /image\/jpeg/);
      // Documents without a known signature are taken as they are; an Office file must be a ZIP.
      assert.ok(await uploaded(Buffer.from('plain text, no signature'), 'text/plain; charset=utf-8'));
      assertError(
        await upload(
          Buffer.from('not a zip'),
          'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
        ),
        400,
        1009,
      );
      await assertNothingLeft('wrong signatures');
    });

    it('answers a missing, malformed or unsupported Content-Type with 400 / 1025 and an empty body with 1008', async () => {
      assertError(await upload(fileOf('image/png', 100)), 400, 1025, /Content-Type is required/);
      assertError(await upload(fileOf('image/png', 100), 'png'), 400, 1025, /not a MIME type/);
      assertError(
        await upload(Buffer.from('GIF89a....'), 'image/gif'),
        400,
        1025,
        /image\/gif is not a supported image type .*application\/octet-stream/,
      );
      assertError(await upload(fileOf('image/png', 100), 'video/quicktime'), 400, 1025, /video\/mp4, video\/3gpp/);
      assertError(await upload(undefined, 'image/png'), 400, 1008, /empty/);
      assertError(await upload(Buffer.alloc(0), 'application/pdf'), 400, 1008, /empty/);
      const wrongMethod = await s.t.request({ method: 'GET', url: '/v1/media', token: user });
      assertError(wrongMethod, 405, 1025);
      assert.equal(wrongMethod.headers.allow, 'POST');
      await assertNothingLeft('bad requests');
    });

    it('refuses a multipart form (curl -F file=@photo.jpg) with 400 / 1025 naming the raw-bytes form, and keeps nothing', async () => {
      // A real form as curl -F and browsers write it: the platform's own multipart encoder, boundary and all.
      const form = new FormData();
      form.append('file', new Blob([fileOf('image/jpeg', 2048)], { type: 'image/jpeg' }), 'photo.jpg');
      const encoded = new Response(form);
      const contentType = encoded.headers.get('content-type')!;
      assert.match(contentType, /^multipart\/form-data; boundary=/);
      const response = await upload(Buffer.from(await encoded.arrayBuffer()), contentType);
      assertError(
        response,
        400,
        1025,
        /^Content-Type multipart\/form-data is a form, not a file: .*--data-binary @photo\.jpg -H 'Content-Type: image\/jpeg'/,
      );
      assertError(
        await upload(Buffer.from('--x\r\n\r\n--x--'), 'multipart/mixed; boundary=x'),
        400,
        1025,
        /multipart\/mixed is a form/,
      );
      assert.deepEqual(
        await s.t.node.db.db.selectFrom('media').select('id').where('mime_type', 'like', 'multipart%').execute(),
        [],
      );
      await assertNothingLeft('multipart');
    });

    it('answers GET of an unknown id with 404 and no body; DELETE then GET is 404; DELETE again is 404 / 1006', async () => {
      const unknown = await download('f043afd0-f0ae-4b9c-ab3d-696fb4c8cd68');
      assert.equal(unknown.statusCode, 404);
      assert.equal(unknown.body, '');
      const id = await uploaded(fileOf('image/jpeg', 10 * KB), 'image/jpeg');
      const head = await s.t.node.app.server.inject({
        method: 'HEAD',
        url: `/v1/media/${id}`,
        headers: { authorization: `Bearer ${user}` },
      });
      assert.deepEqual(
        [head.statusCode, head.headers['content-type'], head.headers['content-length'], head.body],
        [200, 'image/jpeg', String(10 * KB), ''],
      );
      const deleted = await s.t.request({ method: 'DELETE', url: `/v1/media/${id}`, token: user });
      assert.equal(deleted.status, 200, deleted.text);
      assert.deepEqual(Object.keys(deleted.body), ['meta']);
      const gone = await download(id);
      assert.equal(gone.statusCode, 404);
      assert.equal(gone.body, '');
      assertError(
        await s.t.request({ method: 'DELETE', url: `/v1/media/${id}`, token: user }),
        404,
        1006,
        new RegExp(id),
      );
      await assertNothingLeft('deleted');
    });

    it('lets POST /v1/messages send an uploaded id (the customer gets the same bytes), and refuses it once deleted', async () => {
      const file = fileOf('image/png', 64 * KB);
      const id = await uploaded(file, 'image/png');
      const to = '16315558001';
      await s.inbound({ from: to, type: 'text', text: { body: 'send me the picture' } });
      const message = await s.send({ to, type: 'image', image: { id, caption: 'here it is' } });
      await s.advance(2000);
      assert.deepEqual(
        s.statusesOf(message).map((x) => x.status),
        ['delivered', 'read'],
      );
      const received = await s.t.node.app.server.inject({
        url: `/sandbox/customers/${to}/messages/${message}/media`,
        headers: { authorization: `Bearer ${s.admin}` },
      });
      assert.equal(received.statusCode, 200);
      assert.equal(received.headers['content-type'], 'image/png');
      assert.ok(received.rawPayload.equals(file));
      await s.t.request({ method: 'DELETE', url: `/v1/media/${id}`, token: user });
      const refused = await s.t.request({
        method: 'POST',
        url: '/v1/messages',
        token: user,
        body: { to, type: 'image', image: { id } },
      });
      assertError(refused, 404, 1006, /media .* not found/);
    });

    it('deletes media older than the retention period only while garbagecollector_enable.media is on', async () => {
      const old = await uploaded(fileOf('application/pdf', 3 * KB), 'application/pdf');
      s.t.clock.advance(2 * DAY + 1);
      const recent = await uploaded(fileOf('application/pdf', 3 * KB), 'application/pdf');
      await s.t.node.media.retention.runOnce();
      assert.equal((await download(old)).statusCode, 200, 'kept: garbage collection of media is off by default');
      await s.settings({ garbagecollector_enable: { media: true } });
      await s.t.node.media.retention.runOnce();
      assert.equal((await download(old)).statusCode, 404, 'older than 30 days: deleted');
      assert.equal((await download(recent)).statusCode, 200, 'younger: kept');
      await s.settings({ garbagecollector_enable: { media: false } });
      await assertNothingLeft('retention');
    });

    it('removes the bytes of an upload abandoned mid-way (a node that died) after an hour, not before', async () => {
      const { kindRule } = await import('../../src/services/media/media-rules.js');
      const id = '00000000-0000-4000-8000-00000000dead';
      // What a node leaves when it dies between writing the bytes and committing the media row.
      await s.t.node.media.service.write(id, kindRule('document'), streamOf('application/pdf', 600 * KB));
      const pending = () => s.t.node.db.db.selectFrom('media_pending').select('reason').execute();
      s.t.clock.advance(59 * 60 * 1000);
      await s.t.node.media.retention.runOnce();
      assert.deepEqual(await pending(), [{ reason: 'upload' }], 'a live upload is left alone');
      s.t.clock.advance(60 * 1000 + 1);
      await s.t.node.media.retention.runOnce();
      assert.deepEqual(await pending(), []);
      await assertNothingLeft('abandoned upload');
    });

    it('answers an upload whose media row cannot be committed with 500 / 1000, never a 201, and keeps nothing', async () => {
      // An upload still streaming when its journal entry turns an hour old is taken for a dead node's: the retention
      // pass removes its bytes so far and the entry, and the commit of the media row then fails.
      const body = new PassThrough();
      const answer = upload(body, 'application/pdf');
      body.write(fileOf('application/pdf', 300 * KB));
      const pending = () => s.t.node.db.db.selectFrom('media_pending').select('reason').execute();
      await eventually(async () => ((await pending()).length === 1 ? true : undefined));
      s.t.clock.advance(ABANDONED_UPLOAD_MS + 1);
      await s.t.node.media.retention.runOnce();
      body.end(Buffer.alloc(300 * KB, 0x2a));
      const response = await answer;
      assertError(response, 500, 1000);
      assert.deepEqual(
        await s.t.node.db.db.selectFrom('media').select('id').where('created_at', '>=', s.t.clock.now()).execute(),
        [],
      );
      await assertNothingLeft('upload lost mid-way');
    });

    it('lets ROLE_USER upload, read and delete; refuses anyone else with 401', async () => {
      const callers = { admin: () => s.t.adminToken(), user: () => s.t.userToken() };
      await checkRouteSecurity(
        s.t,
        {
          method: 'POST',
          pattern: '/v1/media',
          url: '/v1/media',
          body: { a: 'JSON document' },
          access: 'user',
          expect: 201,
        },
        callers,
      );
      await checkRouteSecurity(
        s.t,
        {
          method: 'GET',
          pattern: '/v1/media/:id',
          url: '/v1/media/f043afd0-f0ae-4b9c-ab3d-696fb4c8cd68',
          access: 'user',
          expect: 404,
        },
        callers,
      );
      await checkRouteSecurity(
        s.t,
        {
          method: 'DELETE',
          pattern: '/v1/media/:id',
          url: '/v1/media/f043afd0-f0ae-4b9c-ab3d-696fb4c8cd68',
          access: 'user',
          expect: 404,
        },
        callers,
      );
    });
  });
}
