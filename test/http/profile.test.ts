// The business's profile (docs/api/profile.md): About text, photo, business profile and two-step PIN. Happy paths,
// every refusal with its code, durability across a restart, nodes sharing one database, access control, and the
// repository's export/import for backups.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { createProfileRepository } from '../../src/db/repositories/profile.js';
import { createProfileService } from '../../src/services/profile.js';
import { assertError } from '../support/assertions.js';
import { startAdminNode, startNodePair, suiteScope, type RequestOptions, type TestNode } from '../support/harness.js';
import { makeJpeg, makePng } from '../support/images.js';

const ABOUT = '/v1/settings/profile/about';
const PHOTO = '/v1/settings/profile/photo';
const BUSINESS = '/v1/settings/business/profile';
const TWO_STEP = '/v1/settings/account/two-step';
const META = { api_status: 'stable', version: 'v2.53.0' };

function okEmpty(response: { status: number; body: unknown; text: string }): void {
  assert.equal(response.status, 200, response.text);
  assert.deepEqual(response.body, { meta: META });
}

describe('profile', () => {
  let t: TestNode;
  let admin: string;
  const call = (options: RequestOptions) => t.request({ token: admin, ...options });
  const upload = (payload: Buffer, contentType = 'image/jpeg', url = PHOTO) =>
    call({ method: 'POST', url, payload, headers: { 'content-type': contentType } });

  const suite = suiteScope();
  before(async () => ({ t, admin } = await startAdminNode(suite)));

  describe('About', () => {
    const about = async () => {
      const response = await call({ url: ABOUT });
      assert.equal(response.status, 200, response.text);
      assert.deepEqual(response.body.meta, META);
      return response.body.settings.profile.about.text as string;
    };

    it('is "" until set, then answers what PATCH stored, after a restart too', async () => {
      assert.equal(await about(), '');
      okEmpty(await call({ method: 'PATCH', url: ABOUT, body: { text: 'Open 9 to 5, Monday to Friday' } }));
      assert.equal(await about(), 'Open 9 to 5, Monday to Friday');
      await t.restart();
      admin = await t.login('admin', 'Admin-Pass1!');
      assert.equal(await about(), 'Open 9 to 5, Monday to Friday');
    });

    it('counts characters as people do: 139 emojis fit, 140 characters do not', async () => {
      okEmpty(await call({ method: 'PATCH', url: ABOUT, body: { text: '😃'.repeat(139) } }));
      assert.equal(await about(), '😃'.repeat(139));
      assertError(
        await call({ method: 'PATCH', url: ABOUT, body: { text: 'x'.repeat(140) } }),
        400,
        1009,
        'text must be at most 139 characters long, got 140',
      );
      assert.equal(await about(), '😃'.repeat(139), 'unchanged by the refusal');
    });

    it('refuses every invalid body with the code that names it', async () => {
      const cases: [Omit<RequestOptions, 'url'>, number, RegExp][] = [
        [{ body: { text: '' } }, 1009, /^text must not be empty/],
        [{ body: { text: '   ' } }, 1009, /^text must not be empty/],
        [{ body: {} }, 1008, /^missing required parameter text$/],
        [{ body: { text: 'hi', emoji: true } }, 1010, /^emoji is not an accepted parameter$/],
        [{ body: { text: 42 } }, 1009, /^text must be of type string$/],
        [{ body: ['hi'] }, 1009, /must be of type object/],
        [{}, 1008, /needs a JSON body/],
        [{ payload: '{"text": ', headers: { 'content-type': 'application/json' } }, 1025, /not valid JSON/],
      ];
      for (const [options, code, details] of cases)
        assertError(await call({ ...options, method: 'PATCH', url: ABOUT }), 400, code, details);
    });
  });

  describe('photo', () => {
    it('answers 404 / 1006 while no photo is set, in both forms', async () => {
      assertError(await call({ url: PHOTO }), 404, 1006, /no profile photo is set/);
      assertError(await call({ url: `${PHOTO}?format=link` }), 404, 1006, /no profile photo is set/);
    });

    it('stores a JPEG and answers its bytes, or a link to them', async () => {
      const jpeg = makeJpeg(640, 640);
      okEmpty(await upload(jpeg));
      const got = await call({ url: PHOTO });
      assert.equal(got.status, 200);
      assert.equal(got.headers['content-type'], 'image/jpeg');
      assert.equal(Number(got.headers['content-length']), jpeg.length);
      const bytes = await t.node.app.server.inject({ url: PHOTO, headers: { authorization: `Bearer ${admin}` } });
      assert.deepEqual(bytes.rawPayload, jpeg);

      const link = await call({ url: `${PHOTO}?format=link`, headers: { host: 'wa.example.com:9090' } });
      assert.equal(link.status, 200, link.text);
      assert.deepEqual(link.body, {
        settings: { profile: { photo: { link: 'http://wa.example.com:9090/v1/settings/profile/photo' } } },
        meta: META,
      });
      const followed = await t.node.app.server.inject({
        url: new URL(link.body.settings.profile.photo.link).pathname,
        headers: { authorization: `Bearer ${admin}` },
      });
      assert.deepEqual(followed.rawPayload, jpeg, 'the link leads to the same bytes');
    });

    it('decides the type by the bytes, not by the Content-Type, and replaces the earlier photo', async () => {
      const png = makePng(800, 600);
      okEmpty(await upload(png, 'IMAGE/JPEG; charset=binary'));
      let got = await t.node.app.server.inject({ url: PHOTO, headers: { authorization: `Bearer ${admin}` } });
      assert.equal(got.headers['content-type'], 'image/png');
      assert.deepEqual(got.rawPayload, png);
      const jpeg = makeJpeg(192, 192);
      okEmpty(await upload(jpeg, 'application/octet-stream; x=1'));
      got = await t.node.app.server.inject({ url: PHOTO, headers: { authorization: `Bearer ${admin}` } });
      assert.equal(got.headers['content-type'], 'image/jpeg');
      assert.deepEqual(got.rawPayload, jpeg);
    });

    it('accepts exactly 5 MB and refuses one byte more with 413', async () => {
      const png = makePng(640, 640);
      const limit = 5 * 1024 * 1024;
      okEmpty(await upload(Buffer.concat([png, Buffer.alloc(limit - png.length)]), 'image/png'));
      assertError(
        await upload(Buffer.concat([png, Buffer.alloc(limit + 1 - png.length)]), 'image/png'),
        413,
        1025,
        'the profile photo may be at most 5 MB (5242880 bytes)',
      );
    });

    it('refuses what is not a usable JPEG or PNG, and keeps the photo it had', async () => {
      const kept = makePng(400, 400);
      okEmpty(await upload(kept, 'image/png'));
      const jpeg = makeJpeg(640, 640);
      const cases: [Buffer, string, number, number, RegExp][] = [
        [
          makeJpeg(191, 640),
          'image/jpeg',
          400,
          1009,
          /^the photo must be at least 192×192 pixels \(640×640 recommended\), got 191×640$/,
        ],
        [makePng(640, 100), 'image/png', 400, 1009, /got 640×100$/],
        [
          Buffer.from('GIF89a\x80\x02\x80\x02\x00\x00', 'latin1'),
          'image/gif',
          400,
          1009,
          /^the photo must be a JPEG or PNG image; these bytes are neither$/,
        ],
        [jpeg.subarray(0, 30), 'image/jpeg', 400, 1009, /^the JPEG image is damaged/],
        [Buffer.alloc(0), 'image/png', 400, 1008, /raw bytes of a JPEG or PNG image/],
        [jpeg, 'text/plain', 400, 1025, /^send the photo as the raw bytes/],
        [jpeg, 'multipart/form-data; boundary=x', 400, 1025, /^send the photo as the raw bytes/],
      ];
      for (const [payload, type, status, code, details] of cases)
        assertError(await upload(payload, type), status, code, details);
      assertError(
        await call({ method: 'POST', url: PHOTO, body: { link: 'https://example.com/a.jpg' } }),
        400,
        1025,
        /^send the photo as the raw bytes/,
      );
      assertError(await call({ method: 'POST', url: PHOTO }), 400, 1008);
      const got = await t.node.app.server.inject({ url: PHOTO, headers: { authorization: `Bearer ${admin}` } });
      assert.deepEqual(got.rawPayload, kept);
    });

    it('refuses unknown query parameters and formats, and methods it does not have', async () => {
      assertError(
        await call({ url: `${PHOTO}?format=binary` }),
        400,
        1009,
        /^query parameter format must be one of "link"$/,
      );
      assertError(
        await call({ url: `${PHOTO}?size=small` }),
        400,
        1010,
        /^query parameter size is not an accepted parameter$/,
      );
      for (const method of ['PUT', 'PATCH'] as const) {
        const response = await call({ method, url: PHOTO });
        assertError(
          response,
          405,
          1025,
          `${method} is not allowed on /v1/settings/profile/photo; allowed: GET, POST, DELETE`,
        );
        assert.equal(response.headers.allow, 'GET, POST, DELETE');
      }
    });

    it('DELETE removes the photo, and removing none is fine; a restart keeps what was stored', async () => {
      okEmpty(await upload(makeJpeg(300, 300)));
      await t.restart();
      admin = await t.login('admin', 'Admin-Pass1!');
      assert.equal((await call({ url: PHOTO })).status, 200, 'kept across the restart');
      okEmpty(await call({ method: 'DELETE', url: PHOTO }));
      assertError(await call({ url: PHOTO }), 404, 1006);
      okEmpty(await call({ method: 'DELETE', url: PHOTO }));
    });
  });

  describe('business profile', () => {
    const business = async () => {
      const response = await call({ url: BUSINESS });
      assert.equal(response.status, 200, response.text);
      return response.body.settings.business.profile;
    };
    const post = (body: unknown) => call({ method: 'POST', url: BUSINESS, body });
    const full = {
      address: '1 Hacker Way, Menlo Park, CA 94025',
      description: 'We make things',
      email: 'support@example.com',
      vertical: 'Professional Services',
      websites: ['https://www.example.com', 'http://shop.example.com/a?b=c'],
    };

    it('answers every field empty until set, then what POST stored', async () => {
      assert.deepEqual(await business(), { address: '', description: '', email: '', vertical: '', websites: [] });
      okEmpty(await post(full));
      assert.deepEqual(await business(), full);
    });

    it('a partial POST changes only the fields it names; "" and [] clear them', async () => {
      okEmpty(await post(full));
      okEmpty(await post({ description: 'd'.repeat(512) }));
      assert.deepEqual(await business(), { ...full, description: 'd'.repeat(512) });
      okEmpty(await post({ address: '', websites: [] }));
      assert.deepEqual(await business(), { ...full, description: 'd'.repeat(512), address: '', websites: [] });
      okEmpty(await post({}));
      okEmpty(await post({ vertical: 'RETAIL', email: '' }));
      assert.equal((await business()).vertical, 'RETAIL', 'the newer codes are accepted too');
      assert.equal((await business()).email, '');
    });

    it('refuses every invalid field with the code that names it, and changes nothing', async () => {
      okEmpty(await post(full));
      const cases: [unknown, number, RegExp][] = [
        [{ address: 'a'.repeat(257) }, 1009, /^address must be at most 256 characters long, got 257$/],
        [{ description: 'd'.repeat(513) }, 1009, /^description must be at most 512 characters long/],
        [{ email: `${'e'.repeat(120)}@example.com` }, 1009, /^email must be at most 128 characters long/],
        [{ email: 'not an address' }, 1009, /^email must be a valid e-mail address/],
        [{ email: 'a@b' }, 1009, /^email must be a valid e-mail address/],
        [
          { vertical: 'Bakery' },
          1009,
          /^vertical must be one of "Automotive", .*"Other" \(or the code AUTO, .*OTHER\)$/,
        ],
        [{ vertical: '' }, 1009, /^vertical cannot be reset to empty once set/],
        [
          { websites: ['https://a.example', 'https://b.example', 'https://c.example'] },
          1009,
          /^websites may list at most 2 URLs, got 3$/,
        ],
        [
          { websites: ['www.example.com'] },
          1009,
          /^websites\[0\] must be a URL starting with http:\/\/ or https:\/\/$/,
        ],
        [
          { websites: ['https://ok.example', `https://example.com/${'p'.repeat(240)}`] },
          1009,
          /^websites\[1\] must be at most 256 characters long$/,
        ],
        [{ websites: 'https://www.example.com' }, 1009, /^websites must be of type array$/],
        [{ websites: [7] }, 1009, /^websites\[0\] must be of type string$/],
        [{ address: null }, 1009, /^address must be of type string$/],
        [{ phone: '123' }, 1010, /^phone is not an accepted parameter$/],
        [[], 1009, /must be of type object/],
      ];
      for (const [body, code, details] of cases) assertError(await post(body), 400, code, details);
      assert.deepEqual(await business(), full);
    });

    it('an empty industry is accepted while none is set', async () => {
      await t.node.db.db.deleteFrom('profile').where('name', '=', 'business').execute();
      okEmpty(await post({ vertical: '' }));
      okEmpty(await post({ vertical: 'Automotive' }));
      assert.equal((await business()).vertical, 'Automotive');
    });

    it('updates of different fields at once all land', async () => {
      okEmpty(await post(full));
      const fields = ['address', 'description', 'email'] as const;
      const values = { address: 'Rua Augusta 1', description: 'Concurrent', email: 'concurrent@example.com' };
      const responses = await Promise.all(fields.map((field) => post({ [field]: values[field] })));
      for (const response of responses) okEmpty(response);
      assert.deepEqual(await business(), { ...full, ...values });
    });
  });

  describe('two-step verification', () => {
    const stored = () =>
      t.node.db.db.selectFrom('profile').select('value').where('name', '=', 'two_step').executeTakeFirst();
    const service = () => createProfileService({ repository: createProfileRepository(t.node.db.db), clock: t.clock });

    it('POST sets the PIN, kept only as a hash that verifies it; DELETE turns it off', async () => {
      okEmpty(await call({ method: 'POST', url: TWO_STEP, body: { pin: '012345' } }));
      const row = await stored();
      assert.ok(row);
      assert.ok(!row.value.includes('012345'), 'the PIN is not stored as given');
      assert.match(JSON.parse(row.value).pin_hash, /^scrypt\$/);
      assert.equal(await service().verifyTwoStepPin('012345'), true);
      assert.equal(await service().verifyTwoStepPin('12345'), false);
      assert.equal(await service().verifyTwoStepPin('543210'), false);

      okEmpty(await call({ method: 'POST', url: TWO_STEP, body: { pin: '999999' } }));
      assert.equal(await service().verifyTwoStepPin('012345'), false, 'replaced');
      assert.equal(await service().verifyTwoStepPin('999999'), true);

      okEmpty(await call({ method: 'DELETE', url: TWO_STEP }));
      assert.equal(await stored(), undefined);
      assert.equal(await service().twoStepEnabled(), false);
      assert.equal(await service().verifyTwoStepPin('999999'), null, 'null: two-step is off');
      okEmpty(await call({ method: 'DELETE', url: TWO_STEP }));
    });

    it('refuses anything but six digits in a string', async () => {
      const cases: [unknown, number, RegExp][] = [
        [{ pin: '12345' }, 1009, /^pin must be a string of exactly 6 digits/],
        [{ pin: '1234567' }, 1009, /^pin must be a string of exactly 6 digits/],
        [{ pin: '12a456' }, 1009, /^pin must be a string of exactly 6 digits/],
        [{ pin: '١٢٣٤٥٦' }, 1009, /^pin must be a string of exactly 6 digits/],
        [{ pin: 123456 }, 1009, /^pin must be of type string$/],
        [{}, 1008, /^missing required parameter pin$/],
        [{ pin: '123456', confirm: '123456' }, 1010, /^confirm is not an accepted parameter$/],
      ];
      for (const [body, code, details] of cases)
        assertError(await call({ method: 'POST', url: TWO_STEP, body }), 400, code, details);
      assert.equal(await stored(), undefined);
    });
  });

  describe('access', () => {
    it('every profile endpoint needs a token (401 / 1005) and the admin role (403 / 1005)', async () => {
      const user = await t.userToken();
      const routes: RequestOptions[] = [
        { url: ABOUT },
        { method: 'PATCH', url: ABOUT, body: { text: 'x' } },
        { url: PHOTO },
        { method: 'POST', url: PHOTO, payload: makeJpeg(200, 200), headers: { 'content-type': 'image/jpeg' } },
        { method: 'DELETE', url: PHOTO },
        { url: BUSINESS },
        { method: 'POST', url: BUSINESS, body: { address: 'x' } },
        { method: 'POST', url: TWO_STEP, body: { pin: '123456' } },
        { method: 'DELETE', url: TWO_STEP },
      ];
      for (const route of routes) {
        assertError(await t.request(route), 401, 1005);
        assertError(await t.request({ ...route, token: user }), 403, 1005, 'this endpoint needs the ROLE_ADMIN role');
      }
    });
  });
});

describe('profile shared by nodes on one database, and its export', () => {
  let a: TestNode;
  let b: TestNode;
  let adminA: string;
  let adminB: string;
  const suite = suiteScope();
  before(async () => {
    ({ a, b } = await startNodePair(suite));
    adminA = await a.adminToken();
    adminB = await b.adminToken();
  });

  it('a change through one node is what the other answers at once', async () => {
    const photo = makePng(256, 256);
    okEmpty(await a.request({ method: 'PATCH', url: ABOUT, token: adminA, body: { text: 'Shared' } }));
    okEmpty(
      await a.request({
        method: 'POST',
        url: PHOTO,
        token: adminA,
        payload: photo,
        headers: { 'content-type': 'image/png' },
      }),
    );
    okEmpty(await a.request({ method: 'POST', url: BUSINESS, token: adminA, body: { email: 'both@example.com' } }));
    assert.equal((await b.request({ url: ABOUT, token: adminB })).body.settings.profile.about.text, 'Shared');
    assert.equal(
      (await b.request({ url: BUSINESS, token: adminB })).body.settings.business.profile.email,
      'both@example.com',
    );
    const got = await b.node.app.server.inject({ url: PHOTO, headers: { authorization: `Bearer ${adminB}` } });
    assert.deepEqual(got.rawPayload, photo);
    okEmpty(await b.request({ method: 'DELETE', url: PHOTO, token: adminB }));
    assertError(await a.request({ url: PHOTO, token: adminA }), 404, 1006);
  });

  it('exportAll gives plain JSON that importAll restores exactly, replacing what was there', async () => {
    const photo = makeJpeg(640, 480);
    okEmpty(await a.request({ method: 'PATCH', url: ABOUT, token: adminA, body: { text: 'Before the backup' } }));
    okEmpty(
      await a.request({
        method: 'POST',
        url: PHOTO,
        token: adminA,
        payload: photo,
        headers: { 'content-type': 'image/jpeg' },
      }),
    );
    okEmpty(
      await a.request({
        method: 'POST',
        url: BUSINESS,
        token: adminA,
        body: { vertical: 'EDU', websites: ['https://school.example'] },
      }),
    );
    okEmpty(await a.request({ method: 'POST', url: TWO_STEP, token: adminA, body: { pin: '246810' } }));
    const repository = createProfileRepository(a.node.db.db);
    const exported = JSON.parse(JSON.stringify(await repository.exportAll()));
    assert.deepEqual(
      exported.parts.map((part: { name: string }) => part.name),
      ['about', 'business', 'photo', 'two_step'],
    );

    okEmpty(await a.request({ method: 'PATCH', url: ABOUT, token: adminA, body: { text: 'After the backup' } }));
    okEmpty(await a.request({ method: 'DELETE', url: PHOTO, token: adminA }));
    okEmpty(await a.request({ method: 'DELETE', url: TWO_STEP, token: adminA }));
    await repository.importAll(exported);

    assert.equal(
      (await b.request({ url: ABOUT, token: adminB })).body.settings.profile.about.text,
      'Before the backup',
    );
    const got = await b.node.app.server.inject({ url: PHOTO, headers: { authorization: `Bearer ${adminB}` } });
    assert.deepEqual(got.rawPayload, photo);
    assert.equal((await b.request({ url: BUSINESS, token: adminB })).body.settings.business.profile.vertical, 'EDU');
    const service = createProfileService({ repository: createProfileRepository(b.node.db.db), clock: b.clock });
    assert.equal(await service.verifyTwoStepPin('246810'), true, 'the PIN hash came back with the import');

    await repository.importAll({ version: 1, parts: [] });
    assert.equal(
      (await a.request({ url: ABOUT, token: adminA })).body.settings.profile.about.text,
      '',
      'an import replaces everything',
    );
  });

  it('importAll refuses an export it does not understand, and changes nothing', async () => {
    const repository = createProfileRepository(a.node.db.db);
    okEmpty(await a.request({ method: 'PATCH', url: ABOUT, token: adminA, body: { text: 'Kept' } }));
    await assert.rejects(repository.importAll({ version: 2 } as never), /unknown profile export version 2/);
    await assert.rejects(
      repository.importAll({
        version: 1,
        parts: [{ name: 'banner', value: '{}', data_base64: null, updated_at: 0 }],
      } as never),
      /unknown profile part "banner"/,
    );
    assert.equal((await a.request({ url: ABOUT, token: adminA })).body.settings.profile.about.text, 'Kept');
  });
});
