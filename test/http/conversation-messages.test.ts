// GET /x/v1/conversations/{wa_id}/messages: one conversation, newest page first and oldest first within a page,
// each message as GET /sandbox/customers/{wa_id}/messages shows it; a cursor that walks every message once, ties
// on the millisecond included; the sandbox's errors for a number that is no customer; and, on the cloud gateway,
// media URLs that are served there.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { assertError } from '../support/assertions.js';
import { startCloudScenario, type CloudScenario } from '../support/cloud-scenario.js';
import { API_KEY, startAdminNode, suiteScope, type TestNode } from '../support/harness.js';
import { makePng } from '../support/images.js';

/** Every message of the conversation, newest page first; each page must be oldest first. */
async function readBackwards(
  t: TestNode,
  token: string,
  waId: string,
  limit: number,
): Promise<{ ids: string[]; pages: number }> {
  const pages: string[][] = [];
  let before: string | null = null;
  do {
    const page = await t.request({
      url: `/x/v1/conversations/${waId}/messages?limit=${limit}${before ? `&before=${before}` : ''}`,
      token,
    });
    assert.equal(page.status, 200, page.text);
    assert.ok(page.body.messages.length <= limit);
    pages.unshift(page.body.messages.map((m: { id: string }) => m.id));
    before = page.body.paging.before;
  } while (before && pages.length < 200);
  return { ids: pages.flat(), pages: pages.length };
}

async function upload(t: TestNode, token: string, bytes: Buffer): Promise<string> {
  const uploaded = await t.request({
    method: 'POST',
    url: '/v1/media',
    token,
    payload: bytes,
    headers: { 'content-type': 'image/png' },
  });
  assert.equal(uploaded.status, 201, uploaded.text);
  return uploaded.body.media[0].id as string;
}

describe('conversation messages on the sandbox', () => {
  let t: TestNode;
  let admin: string;
  const suite = suiteScope();
  before(async () => ({ t, admin } = await startAdminNode(suite)));

  const page = (waId: string, query = '', token = admin) =>
    t.request({ url: `/x/v1/conversations/${waId}/messages${query}`, token });
  const send = async (body: Record<string, unknown>) => {
    const response = await t.request({ method: 'POST', url: '/v1/messages', token: admin, body });
    assert.equal(response.status, 201, response.text);
    return response.body.messages[0].id as string;
  };
  const inbound = async (from: string, body: string) => {
    const response = await t.request({
      method: 'POST',
      url: '/sandbox/inbound',
      token: admin,
      body: { from, type: 'text', text: { body } },
    });
    assert.equal(response.status, 201, response.text);
  };

  it('shows each message as the sandbox customer view does, oldest first, media URLs included', async () => {
    const waId = '16315553001';
    await inbound(waId, 'hello');
    t.clock.advance(10);
    await send({ to: waId, type: 'text', text: { body: 'hi, how can we help?' } });
    t.clock.advance(10);
    const png = makePng(16, 16);
    await send({ to: waId, type: 'image', image: { id: await upload(t, admin, png), caption: 'the catalogue' } });
    t.clock.advance(500);
    await t.node.sandboxNetwork!.runOnce();
    const sandboxView = await t.request({ url: `/sandbox/customers/${waId}/messages`, token: admin });
    const consoleView = await page(waId);
    assert.equal(consoleView.status, 200, consoleView.text);
    assert.deepEqual(consoleView.body.messages, sandboxView.body.messages);
    assert.deepEqual(
      consoleView.body.messages.map((m: any) => m.direction),
      ['inbound', 'outbound', 'outbound'],
    );
    assert.deepEqual(consoleView.body.paging, { before: null });
    assert.equal(consoleView.body.meta.api_status, 'experimental');
    const image = consoleView.body.messages[2];
    assert.equal(image.media_url, `/sandbox/customers/${waId}/messages/${image.id}/media`);
    const file = await t.node.app.server.inject({
      url: image.media_url,
      headers: { authorization: `Bearer ${admin}` },
    });
    assert.equal(file.statusCode, 200);
    assert.ok(file.rawPayload.equals(png));
  });

  it('pages from the newest: every message once, ties on the millisecond included, the last page says so', async () => {
    const waId = '16315553002';
    await inbound(waId, 'first');
    for (let i = 0; i < 22; i++) {
      if (i % 4 === 0) t.clock.advance(1);
      if (i % 5 === 0) await inbound(waId, `question ${i}`);
      else await send({ to: waId, type: 'text', text: { body: `answer ${i}` } });
    }
    const all = (await t.request({ url: `/sandbox/customers/${waId}/messages`, token: admin })).body.messages.map(
      (m: { id: string; timestamps: { created: string } }) => m,
    );
    assert.equal(all.length, 23);
    // The sandbox view orders ties by id as well: both show the same order.
    for (const limit of [1, 5, 23, 100]) {
      const { ids, pages } = await readBackwards(t, admin, waId, limit);
      assert.deepEqual(
        ids,
        all.map((m: { id: string }) => m.id),
        `limit ${limit}`,
      );
      assert.equal(pages, Math.ceil(23 / limit), `limit ${limit}`);
    }
    const newest = await page(waId, '?limit=5');
    assert.deepEqual(
      newest.body.messages.map((m: { id: string }) => m.id),
      all.slice(-5).map((m: { id: string }) => m.id),
      'the newest five, oldest first',
    );
  });

  it("a valid number without messages is an empty conversation; an invalid one is the sandbox route's 404", async () => {
    const empty = await page('+1 631 555 3999');
    assert.equal(empty.status, 200, empty.text);
    assert.deepEqual(empty.body.messages, []);
    assert.deepEqual(empty.body.paging, { before: null });
    for (const number of ['abc', '12', '1631555410x']) {
      const sandbox = await t.request({ url: `/sandbox/customers/${number}/messages`, token: admin });
      const console = await page(number);
      assertError(console, 404, 1006, /not a valid phone number/);
      assert.deepEqual(console.body.errors, sandbox.body.errors);
    }
  });

  it('refuses a bad limit or cursor, and unknown parameters; any logged-in user may read, the API key may not', async () => {
    for (const limit of ['0', '501', 'x'])
      assertError(await page('16315553002', `?limit=${limit}`), 400, 1009, /query parameter limit/);
    for (const text of ['nope', '5:', `12:${'a'.repeat(300)}`, '12:with space']) {
      assertError(
        await page('16315553002', `?before=${Buffer.from(text).toString('base64url')}`),
        400,
        1009,
        /query parameter before/,
      );
    }
    assertError(await page('16315553002', '?after=abc'), 400, 1010);
    assert.equal((await page('16315553002', '', await t.userToken())).status, 200);
    assertError(await t.request({ url: '/x/v1/conversations/16315553002/messages' }), 401, 1005);
    assertError(await t.request({ url: '/x/v1/conversations/16315553002/messages', apiKey: API_KEY }), 401, 1005);
  });
});

describe('conversation messages on the cloud gateway', () => {
  let s: CloudScenario;
  const suite = suiteScope();
  before(async () => {
    s = await startCloudScenario(suite, { realMediaMap: true });
  });

  it('points media URLs at GET /v1/media for stored files, and at nothing for links', async () => {
    const waId = '16315553101';
    const png = makePng(24, 24);
    const byId = await s.t.request({
      method: 'POST',
      url: '/v1/messages',
      token: s.admin,
      body: { to: waId, type: 'image', image: { id: await upload(s.t, s.admin, png) } },
    });
    assert.equal(byId.status, 201, byId.text);
    s.t.clock.advance(1);
    const byLink = await s.t.request({
      method: 'POST',
      url: '/v1/messages',
      token: s.admin,
      body: { to: waId, type: 'image', image: { link: 'https://example.com/cat.jpg' } },
    });
    assert.equal(byLink.status, 201, byLink.text);
    const messages = (await s.t.request({ url: `/x/v1/conversations/${waId}/messages`, token: s.admin })).body.messages;
    assert.deepEqual(
      messages.map((m: { id: string }) => m.id),
      [byId.body.messages[0].id, byLink.body.messages[0].id],
    );
    assert.match(messages[0].media_url, /^\/v1\/media\/[0-9a-f-]{36}$/);
    assert.equal(messages[1].media_url, null);
    const file = await s.t.node.app.server.inject({
      url: messages[0].media_url,
      headers: { authorization: `Bearer ${s.admin}` },
    });
    assert.equal(file.statusCode, 200);
    assert.ok(file.rawPayload.equals(png));
  });
});
