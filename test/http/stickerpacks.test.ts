// /v1/stickerpacks (docs/api/stickerpacks.md): the business's own packs and their stickers, WhatsApp's first-party
// packs answered 404 / 1006, every refusal with its code, the 30-sticker limit under concurrent adds, and access.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { assertError } from '../support/assertions.js';
import { suiteScope, type RequestOptions } from '../support/harness.js';
import { startMessagingScenario, type MessagingScenario } from '../support/messaging.js';

const PACKS = '/v1/stickerpacks';
const META = { api_status: 'stable', version: 'v2.53.0' };
const BIRDS = {
  publisher: 'Acme Birds',
  name: 'Garden birds',
  ios_app_store_link: 'https://apps.apple.com/app/id123456789',
  android_app_store_link: 'https://play.google.com/store/apps/details?id=com.acme.birds',
};

describe('sticker packs', () => {
  let s: MessagingScenario;
  let webp: string;
  let png: string;
  const call = (options: RequestOptions) => s.t.request({ token: s.admin, ...options });
  const createPack = async (body: unknown = BIRDS): Promise<string> => {
    const response = await call({ method: 'POST', url: PACKS, body });
    assert.equal(response.status, 200, response.text);
    return response.body.stickerpacks[0].id as string;
  };
  const addSticker = (packId: string, body: unknown) =>
    call({ method: 'POST', url: `${PACKS}/${packId}/stickers`, body });

  /** A media id the sandbox created for a customer's media message: a real row of the media table. */
  async function mediaOf(type: 'sticker' | 'image', payload: object): Promise<string> {
    const id = await s.inbound({ from: '16315551234', type, [type]: payload });
    const row = await s.t.node.db.db
      .selectFrom('messages')
      .select('content')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    return JSON.parse(row.content)[type].id as string;
  }

  const suite = suiteScope();
  before(async () => {
    s = await startMessagingScenario(suite);
    webp = await mediaOf('sticker', {});
    png = await mediaOf('image', { mime_type: 'image/png' });
  });

  it('creates packs, lists them oldest first, and answers one by id', async () => {
    const empty = await call({ url: PACKS });
    assert.deepEqual(empty.body, { stickerpacks: [], meta: META });
    const created = await call({ method: 'POST', url: PACKS, body: BIRDS });
    assert.equal(created.status, 200, created.text);
    assert.deepEqual(Object.keys(created.body), ['stickerpacks', 'meta']);
    const birds = created.body.stickerpacks[0].id;
    assert.match(birds, /^[0-9a-f-]{36}$/);
    s.t.clock.advance(1000);
    const plain = await createPack({ publisher: 'Acme', name: 'Plain' });
    const one = await call({ url: `${PACKS}/${birds}` });
    assert.deepEqual(one.body, { stickerpacks: [{ id: birds, ...BIRDS }], meta: META });
    const list = await call({ url: PACKS });
    assert.deepEqual(list.body.stickerpacks, [
      { id: birds, ...BIRDS },
      { id: plain, publisher: 'Acme', name: 'Plain' },
    ]);
  });

  it('PATCH changes the fields it names; null or "" removes a link', async () => {
    const id = await createPack();
    const patch = (body: unknown) => call({ method: 'PATCH', url: `${PACKS}/${id}`, body });
    const patched = await patch({ name: 'Sea birds', ios_app_store_link: null });
    assert.equal(patched.status, 200, patched.text);
    assert.deepEqual(patched.body, { meta: META });
    assert.equal((await patch({ android_app_store_link: '' })).status, 200);
    assert.equal((await patch({})).status, 200);
    assert.deepEqual((await call({ url: `${PACKS}/${id}` })).body.stickerpacks, [
      { id, publisher: BIRDS.publisher, name: 'Sea birds' },
    ]);
  });

  it('refuses invalid packs with the code that names the field', async () => {
    const id = await createPack();
    const creates: [unknown, number, RegExp][] = [
      [{ name: 'x' }, 1008, /^missing required parameter publisher$/],
      [{ publisher: 'x' }, 1008, /^missing required parameter name$/],
      [{ publisher: 'x', name: '' }, 1009, /^name must be 1 to 128 characters long$/],
      [{ publisher: ' ', name: 'x' }, 1009, /^publisher must be 1 to 128 characters long$/],
      [{ publisher: 'p'.repeat(129), name: 'x' }, 1009, /^publisher must be 1 to 128 characters long$/],
      [
        { publisher: 'x', name: 'x', ios_app_store_link: 'ftp://apps.example/1' },
        1009,
        /^ios_app_store_link must be an http:\/\/ or https:\/\/ URL/,
      ],
      [
        { publisher: 'x', name: 'x', android_app_store_link: `https://example.com/${'a'.repeat(500)}` },
        1009,
        /^android_app_store_link must be/,
      ],
      [{ publisher: 7, name: 'x' }, 1009, /^publisher must be of type string$/],
      [{ publisher: 'x', name: 'x', tray_image: 'abc' }, 1010, /^tray_image is not an accepted parameter$/],
    ];
    for (const [body, code, details] of creates)
      assertError(await call({ method: 'POST', url: PACKS, body }), 400, code, details);
    assertError(
      await call({ method: 'PATCH', url: `${PACKS}/${id}`, body: { name: '' } }),
      400,
      1009,
      /^name must be 1 to 128/,
    );
    assertError(
      await call({ method: 'PATCH', url: `${PACKS}/${id}`, body: { id: 'other' } }),
      400,
      1010,
      /^id is not an accepted parameter$/,
    );
    for (const method of ['GET', 'PATCH', 'DELETE'] as const) {
      assertError(
        await call({ method, url: `${PACKS}/no-such-pack`, ...(method === 'PATCH' ? { body: { name: 'x' } } : {}) }),
        404,
        1006,
        'no sticker pack has the id no-such-pack',
      );
    }
  });

  it('adds stickers with stable indices, answers them, changes and deletes them', async () => {
    const id = await createPack();
    const stickers = `${PACKS}/${id}/stickers`;
    const first = await addSticker(id, { image_data_id: webp, emojis: ['🐥', '😃'] });
    assert.equal(first.status, 200, first.text);
    assert.deepEqual(first.body, { stickers: [{ index: 0 }], meta: META });
    assert.deepEqual((await addSticker(id, { image_data_id: webp, emojis: ['👍🏽'] })).body.stickers, [{ index: 1 }]);
    assert.deepEqual((await call({ url: stickers })).body, {
      stickers: [
        { index: 0, image_data_id: webp, emojis: ['🐥', '😃'] },
        { index: 1, image_data_id: webp, emojis: ['👍🏽'] },
      ],
      meta: META,
    });
    assert.equal(
      (await call({ method: 'PATCH', url: `${stickers}/1`, body: { emojis: ['🇧🇷', '1️⃣', '👨‍👩‍👧‍👦'] } })).status,
      200,
    );
    assert.deepEqual((await call({ url: `${stickers}/1` })).body.stickers, [
      { index: 1, image_data_id: webp, emojis: ['🇧🇷', '1️⃣', '👨‍👩‍👧‍👦'] },
    ]);
    assert.equal((await call({ method: 'DELETE', url: `${stickers}/0` })).status, 200);
    assertError(await call({ url: `${stickers}/0` }), 404, 1006, `sticker pack ${id} has no sticker 0`);
    assert.deepEqual(
      (await addSticker(id, { image_data_id: webp, emojis: ['🐦'] })).body.stickers,
      [{ index: 2 }],
      'a deleted index is not reused',
    );
    assert.deepEqual(
      (await call({ url: stickers })).body.stickers.map((sticker: { index: number }) => sticker.index),
      [1, 2],
    );
  });

  it('refuses invalid stickers with the code that names the field', async () => {
    const id = await createPack();
    const cases: [unknown, number, number, RegExp][] = [
      [
        { image_data_id: '0b8a3a26-0000-4000-8000-000000000000', emojis: ['🐥'] },
        404,
        1006,
        /^image_data_id: media 0b8a3a26-0000-4000-8000-000000000000 not found; upload the WebP image with POST \/v1\/media first$/,
      ],
      [
        { image_data_id: png, emojis: ['🐥'] },
        400,
        1009,
        new RegExp(`^image_data_id: media ${png} is image/png; a sticker must be image/webp$`),
      ],
      [{ image_data_id: webp, emojis: [] }, 400, 1009, /^emojis must list 1 to 3 emojis, got 0$/],
      [{ image_data_id: webp, emojis: ['🐥', '🐦', '🦆', '🦉'] }, 400, 1009, /^emojis must list 1 to 3 emojis, got 4$/],
      [{ image_data_id: webp, emojis: ['bird'] }, 400, 1009, /^emojis\[0\] must be one emoji/],
      [{ image_data_id: webp, emojis: ['🐥', '123'] }, 400, 1009, /^emojis\[1\] must be one emoji/],
      [{ image_data_id: webp, emojis: ['🐥x'] }, 400, 1009, /^emojis\[0\] must be one emoji/],
      [{ image_data_id: webp, emojis: '🐥' }, 400, 1009, /^emojis must be of type array$/],
      [{ emojis: ['🐥'] }, 400, 1008, /^missing required parameter image_data_id$/],
      [{ image_data_id: webp }, 400, 1008, /^missing required parameter emojis$/],
      [{ image_data_id: webp, emojis: ['🐥'], index: 4 }, 400, 1010, /^index is not an accepted parameter$/],
    ];
    for (const [body, status, code, details] of cases) assertError(await addSticker(id, body), status, code, details);
    assert.deepEqual((await call({ url: `${PACKS}/${id}/stickers` })).body.stickers, [], 'nothing was added');
    assertError(
      await addSticker('no-such-pack', { image_data_id: webp, emojis: ['🐥'] }),
      404,
      1006,
      'no sticker pack has the id no-such-pack',
    );
    assertError(
      await call({ url: `${PACKS}/no-such-pack/stickers` }),
      404,
      1006,
      'no sticker pack has the id no-such-pack',
    );
    assertError(
      await call({ url: `${PACKS}/${id}/stickers/first` }),
      400,
      1009,
      /^path parameter index must match pattern/,
    );
    for (const method of ['GET', 'PATCH', 'DELETE'] as const) {
      const options = method === 'PATCH' ? { body: { emojis: ['🐥'] } } : {};
      assertError(
        await call({ method, url: `${PACKS}/${id}/stickers/7`, ...options }),
        404,
        1006,
        `sticker pack ${id} has no sticker 7`,
      );
      assertError(
        await call({ method, url: `${PACKS}/no-such-pack/stickers/7`, ...options }),
        404,
        1006,
        'no sticker pack has the id no-such-pack',
      );
    }
    const added = (await addSticker(id, { image_data_id: webp, emojis: ['🐥'] })).body.stickers[0].index;
    assertError(
      await call({ method: 'PATCH', url: `${PACKS}/${id}/stickers/${added}`, body: { image_data_id: png } }),
      400,
      1009,
      /a sticker must be image\/webp/,
    );
  });

  it('holds at most 30 stickers a pack, even when adds race for the last places', async () => {
    const id = await createPack();
    for (let i = 0; i < 27; i++)
      assert.equal((await addSticker(id, { image_data_id: webp, emojis: ['🐥'] })).status, 200);
    const racing = await Promise.all(
      Array.from({ length: 6 }, () => addSticker(id, { image_data_id: webp, emojis: ['🐥'] })),
    );
    assert.equal(racing.filter((response) => response.status === 200).length, 3, racing.map((r) => r.status).join(','));
    for (const refused of racing.filter((response) => response.status !== 200)) {
      assertError(refused, 400, 1009, `sticker pack ${id} already holds 30 stickers, the most a pack may have`);
    }
    const indices = (await call({ url: `${PACKS}/${id}/stickers` })).body.stickers.map(
      (sticker: { index: number }) => sticker.index,
    );
    assert.deepEqual(
      indices,
      Array.from({ length: 30 }, (_, i) => i),
      'refused adds took no index',
    );
  });

  it('DELETE removes the pack with its stickers; both stay across a restart until then', async () => {
    const id = await createPack();
    assert.equal((await addSticker(id, { image_data_id: webp, emojis: ['🐥'] })).status, 200);
    await s.t.restart();
    assert.equal((await call({ url: `${PACKS}/${id}/stickers/0` })).status, 200, 'kept across the restart');
    const deleted = await call({ method: 'DELETE', url: `${PACKS}/${id}` });
    assert.equal(deleted.status, 200, deleted.text);
    assert.deepEqual(deleted.body, { meta: META });
    assertError(await call({ url: `${PACKS}/${id}` }), 404, 1006);
    assert.deepEqual(
      await s.t.node.db.db.selectFrom('stickers').select('sticker_index').where('pack_id', '=', id).execute(),
      [],
    );
    assertError(await call({ method: 'DELETE', url: `${PACKS}/${id}` }), 404, 1006);
  });

  it("answers WhatsApp's first-party packs (namespace=whatsapp) 404 / 1006 saying why, and refuses other namespaces", async () => {
    const id = await createPack();
    const firstParty = /^WhatsApp's first-party sticker packs \(namespace=whatsapp\) are not available in OpenPrem/;
    for (const url of [PACKS, `${PACKS}/${id}`, `${PACKS}/${id}/stickers`, `${PACKS}/${id}/stickers/0`]) {
      assertError(await call({ url: `${url}?namespace=whatsapp` }), 404, 1006, firstParty);
    }
    assertError(await call({ method: 'POST', url: `${PACKS}?namespace=whatsapp`, body: BIRDS }), 404, 1006, firstParty);
    assertError(
      await call({ url: `${PACKS}?namespace=acme` }),
      400,
      1009,
      /^query parameter namespace must be one of "whatsapp"$/,
    );
    assertError(
      await call({ url: `${PACKS}?page=2` }),
      400,
      1010,
      /^query parameter page is not an accepted parameter$/,
    );
  });

  it('every sticker pack endpoint needs a token (401 / 1005) and the admin role (403 / 1005)', async () => {
    const user = await s.t.userToken();
    const id = await createPack();
    const routes: RequestOptions[] = [
      { url: PACKS },
      { method: 'POST', url: PACKS, body: BIRDS },
      { url: `${PACKS}/${id}` },
      { method: 'PATCH', url: `${PACKS}/${id}`, body: { name: 'x' } },
      { method: 'DELETE', url: `${PACKS}/${id}` },
      { url: `${PACKS}/${id}/stickers` },
      { method: 'POST', url: `${PACKS}/${id}/stickers`, body: { image_data_id: webp, emojis: ['🐥'] } },
      { url: `${PACKS}/${id}/stickers/0` },
      { method: 'PATCH', url: `${PACKS}/${id}/stickers/0`, body: { emojis: ['🐥'] } },
      { method: 'DELETE', url: `${PACKS}/${id}/stickers/0` },
    ];
    for (const route of routes) {
      assertError(await s.t.request(route), 401, 1005);
      assertError(await s.t.request({ ...route, token: user }), 403, 1005, 'this endpoint needs the ROLE_ADMIN role');
    }
    assert.equal((await call({ url: `${PACKS}/${id}` })).status, 200, 'the refused calls changed nothing');
  });
});
