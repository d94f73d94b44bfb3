// GET /x/v1/conversations (the console's inbox): customers with messages, newest activity first, with the newest
// message, unread inbound messages and message counts; paging that walks every conversation once whichever way the
// page is found (the walk of recent messages, the skip scan of customers, the grouped pass); the counts kept
// between reads; validation and access; and the same list on the cloud gateway.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { MessageRow } from '../../src/db/repositories/messages.js';
import { assertError } from '../support/assertions.js';
import { startCloudScenario, type CloudScenario } from '../support/cloud-scenario.js';
import { CUSTOMER, inboundMessage, inboundWebhook } from '../support/cloud-webhooks.js';
import { API_KEY, startAdminNode, suiteScope, type TestNode } from '../support/harness.js';

interface Listed {
  wa_id: string;
  last_message: { id: string; direction: string; type: string; status: string; timestamp: string; preview: string };
  unread: number;
  messages: number;
}

/** Every conversation, page by page, asserting that no page repeats a wa_id of an earlier one. */
async function walkAll(t: TestNode, token: string, limit: number): Promise<{ waIds: string[]; pages: number }> {
  const waIds: string[] = [];
  let before: string | null = null;
  let pages = 0;
  do {
    const page = await t.request({
      url: `/x/v1/conversations?limit=${limit}${before ? `&before=${before}` : ''}`,
      token,
    });
    assert.equal(page.status, 200, page.text);
    assert.ok(page.body.conversations.length <= limit);
    for (const c of page.body.conversations as Listed[]) {
      assert.ok(!waIds.includes(c.wa_id), `${c.wa_id} listed twice`);
      waIds.push(c.wa_id);
    }
    before = page.body.paging.before;
    pages += 1;
  } while (before && pages < 500);
  return { waIds, pages };
}

let seededIds = 0;

/** Messages written straight to the table, for shapes the API would take long to build (thousands of rows). */
async function seed(t: TestNode, rows: { waId: string; at: number; direction?: 'in' | 'out' }[]): Promise<void> {
  const values: MessageRow[] = rows.map((r, i) => ({
    id: `wamid.seed${String(seededIds++).padStart(7, '0')}${r.waId}`,
    direction: r.direction ?? 'out',
    wa_id: r.waId,
    type: 'text',
    content: JSON.stringify(
      r.direction === 'in'
        ? { type: 'text', text: { body: `in ${i}` } }
        : { message: { type: 'text', text: { body: `out ${i}` } }, template: null },
    ),
    status: r.direction === 'in' ? 'received' : 'sent',
    context_id: null,
    error_code: null,
    category: null,
    conversation_id: null,
    created_at: r.at,
    sent_at: null,
    delivered_at: null,
    read_at: null,
    updated_at: r.at,
  }));
  for (let i = 0; i < values.length; i += 500)
    await t.node.db.db
      .insertInto('messages')
      .values(values.slice(i, i + 500))
      .execute();
}

/** The expected order, from every row: each customer's newest time descending, then wa_id descending. */
function expectedOrder(rows: { waId: string; at: number }[]): string[] {
  const newest = new Map<string, number>();
  for (const r of rows) newest.set(r.waId, Math.max(newest.get(r.waId) ?? 0, r.at));
  return [...newest].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? 1 : -1)).map(([waId]) => waId);
}

describe('conversations on the sandbox', () => {
  let t: TestNode;
  let admin: string;
  const suite = suiteScope();
  before(async () => ({ t, admin } = await startAdminNode(suite)));

  const list = (query = '', token = admin) => t.request({ url: `/x/v1/conversations${query}`, token });
  const inbound = async (from: string, body: string) => {
    const response = await t.request({
      method: 'POST',
      url: '/sandbox/inbound',
      token: admin,
      body: { from, type: 'text', text: { body } },
    });
    assert.equal(response.status, 201, response.text);
    return response.body.messages[0].id as string;
  };
  const send = async (body: Record<string, unknown>) => {
    const response = await t.request({ method: 'POST', url: '/v1/messages', token: admin, body });
    assert.equal(response.status, 201, response.text);
    return response.body.messages[0].id as string;
  };

  it('is empty before any message, with no next page', async () => {
    const response = await list();
    assert.equal(response.status, 200, response.text);
    assert.deepEqual(response.body, {
      conversations: [],
      paging: { before: null },
      meta: { api_status: 'experimental', version: 'v2.53.0' },
    });
  });

  it('lists customers newest activity first, with the newest message, unread inbound messages and the count', async () => {
    const first = await inbound('16315552001', 'hello there');
    t.clock.advance(1000);
    const reply = await send({ to: '16315552001', type: 'text', text: { body: 'Hi! How can we help?' } });
    t.clock.advance(1000);
    await inbound('+1 631-555-2002', 'is the shop open?');
    t.clock.advance(1000);
    const second = await inbound('16315552002', 'today?');
    const page = (await list()).body.conversations as Listed[];
    assert.deepEqual(
      page.map((c) => c.wa_id),
      ['16315552002', '16315552001'],
    );
    assert.deepEqual(page[0], {
      wa_id: '16315552002',
      last_message: {
        id: second,
        direction: 'inbound',
        type: 'text',
        status: 'received',
        timestamp: String(Math.floor(t.clock.now() / 1000)),
        preview: 'today?',
      },
      unread: 2,
      messages: 2,
    });
    // The network's own loop may have moved the reply on already (the clock is past its statuses).
    assert.ok(['accepted', 'sent', 'delivered', 'read'].includes(page[1]!.last_message.status));
    assert.deepEqual(page[1]!.last_message, {
      id: reply,
      direction: 'outbound',
      type: 'text',
      status: page[1]!.last_message.status,
      timestamp: String(Math.floor((t.clock.now() - 2000) / 1000)),
      preview: 'Hi! How can we help?',
    });
    assert.equal(page[1]!.unread, 1);
    assert.equal(page[1]!.messages, 2);
    // The business reads the customer's message: unread goes to 0; the network has moved the reply on.
    assert.equal(
      (await t.request({ method: 'PUT', url: `/v1/messages/${first}`, token: admin, body: { status: 'read' } })).status,
      200,
    );
    t.clock.advance(200);
    await t.node.sandboxNetwork!.runOnce();
    const after = (await list()).body.conversations as Listed[];
    assert.equal(after[1]!.unread, 0);
    assert.equal(after[1]!.last_message.status, 'read');
  });

  it('previews the first words (text, caption, template name, interactive body, contact name) in 80 characters at most, else the type', async () => {
    const long = `${'🙂'.repeat(10)}${'x'.repeat(100)}`;
    await send({ to: '16315552101', type: 'text', text: { body: long } });
    await send({
      to: '16315552102',
      type: 'image',
      image: { link: 'https://example.com/cat.jpg', caption: 'Our new cat' },
    });
    await send({
      to: '16315552103',
      type: 'template',
      template: {
        namespace: 'openprem_sandbox',
        name: 'hello_world',
        language: { policy: 'deterministic', code: 'en_US' },
      },
    });
    await send({ to: '16315552104', type: 'contacts', contacts: [{ name: { formatted_name: 'Kerry Fisher' } }] });
    await send({
      to: '16315552105',
      type: 'interactive',
      interactive: {
        type: 'button',
        body: { text: 'Was it on time?' },
        action: { buttons: [{ type: 'reply', reply: { id: 'y', title: 'Yes' } }] },
      },
    });
    await send({ to: '16315552106', type: 'sticker', sticker: { link: 'https://example.com/sticker.webp' } });
    const previews = new Map(
      ((await list('?limit=100')).body.conversations as Listed[]).map((c) => [c.wa_id, c.last_message.preview]),
    );
    assert.equal(previews.get('16315552101'), Array.from(long).slice(0, 80).join(''));
    assert.equal(Array.from(previews.get('16315552101')!).length, 80);
    assert.equal(previews.get('16315552102'), 'Our new cat');
    assert.equal(previews.get('16315552103'), 'hello_world');
    assert.equal(previews.get('16315552104'), 'Kerry Fisher');
    assert.equal(previews.get('16315552105'), 'Was it on time?');
    assert.equal(previews.get('16315552106'), 'sticker');
  });

  it('refuses a bad limit or cursor with the API codes, and is open to any logged-in user but not to the API key', async () => {
    for (const limit of ['0', '101', 'ten', ''])
      assertError(await list(`?limit=${limit}`), 400, 1009, /query parameter limit/);
    assertError(await list('?before=***'), 400, 1009, /query parameter before/);
    // Well-formed base64url that is no cursor of this route.
    for (const text of ['hello', '12:abc', 'x:16315550000', `${'9'.repeat(16)}:1`]) {
      assertError(
        await list(`?before=${Buffer.from(text).toString('base64url')}`),
        400,
        1009,
        /before is not a cursor/,
      );
    }
    assertError(await list('?after=abc'), 400, 1010, /after is not an accepted parameter/);
    assert.equal((await list('', await t.userToken())).status, 200);
    assertError(await t.request({ url: '/x/v1/conversations' }), 401, 1005);
    assertError(await t.request({ url: '/x/v1/conversations', apiKey: API_KEY }), 401, 1005);
  });
});

describe('conversation paging', () => {
  let t: TestNode;
  let admin: string;
  let base: number;
  let seeded: { waId: string; at: number; direction?: 'in' | 'out' }[] = [];
  const suite = suiteScope();
  before(async () => {
    ({ t, admin } = await startAdminNode(suite));
    base = t.clock.now() - 10_000_000;
  });

  const add = async (rows: typeof seeded) => {
    await seed(
      t,
      rows.map((r) => ({ ...r })),
    );
    seeded = [...seeded, ...rows];
  };

  it('walks every conversation once in order, ties on the newest time broken by wa_id (the walk of recent messages)', async () => {
    const rows = [];
    // 40 customers, messages interleaved in time, some newest at the same millisecond.
    for (let i = 0; i < 400; i++)
      rows.push({
        waId: `1631555${3000 + (i % 40)}`,
        at: base + Math.floor(i / 3) * 10,
        direction: (i % 4 === 0 ? 'in' : 'out') as 'in' | 'out',
      });
    await add(rows);
    for (const limit of [1, 7, 40, 100]) {
      const { waIds, pages } = await walkAll(t, admin, limit);
      assert.deepEqual(waIds, expectedOrder(seeded), `limit ${limit}`);
      assert.equal(
        pages,
        Math.max(1, Math.ceil(waIds.length / limit)),
        `limit ${limit}: the last page says it is the last`,
      );
    }
  });

  it('finds the page by the customers when one of them wrote most of the recent messages (the skip scan)', async () => {
    const busy = Array.from({ length: 2500 }, (_, i) => ({ waId: '16315554444', at: base + 100_000 + i }));
    await add(busy);
    for (const limit of [3, 50]) assert.deepEqual((await walkAll(t, admin, limit)).waIds, expectedOrder(seeded));
    const top = (await t.request({ url: '/x/v1/conversations?limit=2', token: admin })).body.conversations as Listed[];
    assert.equal(top[0]!.wa_id, '16315554444');
    assert.equal(top[0]!.messages, 2500);
    assert.equal(top[0]!.last_message.id, `wamid.seed${String(seededIds - 1).padStart(7, '0')}16315554444`);
  });

  it('falls back to one grouped pass when there are both many customers and a busy one (the grouped pass)', async () => {
    await add(
      Array.from({ length: 1100 }, (_, i) => ({
        waId: `447700${String(900000 + i)}`,
        at: base + 50_000 + (i % 300),
        direction: 'in' as const,
      })),
    );
    await add(Array.from({ length: 2500 }, (_, i) => ({ waId: '16315555555', at: base + 200_000 + i })));
    const { waIds } = await walkAll(t, admin, 100);
    assert.deepEqual(waIds, expectedOrder(seeded));
    const unread = (
      (await t.request({ url: '/x/v1/conversations?limit=100', token: admin })).body.conversations as Listed[]
    ).find((c) => c.wa_id.startsWith('447700'));
    assert.equal(unread?.unread, 1);
  });

  it('a conversation that moves up between two pages is not listed again further down', async () => {
    const first = await t.request({ url: '/x/v1/conversations?limit=2', token: admin });
    const second = (first.body.conversations as Listed[]).length;
    assert.equal(second, 2);
    const expected = expectedOrder(seeded);
    // The customer at position 5 writes: it is now the newest, above the cursor of the first page.
    const mover = expected[4]!;
    await add([{ waId: mover, at: base + 9_000_000, direction: 'in' }]);
    const rest: string[] = [];
    let before: string | null = first.body.paging.before;
    while (before) {
      const page = await t.request({ url: `/x/v1/conversations?limit=50&before=${before}`, token: admin });
      rest.push(...(page.body.conversations as Listed[]).map((c) => c.wa_id));
      before = page.body.paging.before;
    }
    assert.deepEqual(
      rest,
      expected.slice(2).filter((waId) => waId !== mover),
    );
    assert.equal(
      ((await t.request({ url: '/x/v1/conversations?limit=1', token: admin })).body.conversations as Listed[])[0]!
        .wa_id,
      mover,
    );
  });

  it('keeps counts right across reads: new messages, late commits within 10 s, and the garbage collector', async () => {
    const waId = '16315556666';
    const newest = async () =>
      ((await t.request({ url: '/x/v1/conversations?limit=1', token: admin })).body.conversations as Listed[])[0]!;
    const start = t.clock.now() + 1_000_000;
    await add(Array.from({ length: 30 }, (_, i) => ({ waId, at: start + i })));
    assert.equal((await newest()).messages, 30);
    t.clock.advance(1_100_000);
    assert.equal((await newest()).messages, 30, 'the same count, now remembered');
    // One committing late, with a time before the last read but within the 10 s counted afresh, and a new one.
    await add([
      { waId, at: t.clock.now() - 5000 },
      { waId, at: t.clock.now() + 10 },
    ]);
    assert.equal((await newest()).messages, 32);
    // The garbage collector deletes the 10 oldest: within 5 minutes the count is taken again in full.
    await t.node.db.db
      .deleteFrom('messages')
      .where('wa_id', '=', waId)
      .where('created_at', '<', start + 10)
      .execute();
    t.clock.advance(5 * 60_000 - 1);
    assert.equal((await newest()).messages, 32, 'the remembered count holds until then');
    t.clock.advance(1);
    assert.equal((await newest()).messages, 22);
  });
});

describe('conversations on the cloud gateway', () => {
  let s: CloudScenario;
  const suite = suiteScope();
  before(async () => {
    s = await startCloudScenario(suite);
  });

  it('lists what the business sent through Meta and what customers wrote', async () => {
    const sent = await s.t.request({
      method: 'POST',
      url: '/v1/messages',
      token: s.admin,
      body: { to: '16315557001', type: 'text', text: { body: 'Your order shipped' } },
    });
    assert.equal(sent.status, 201, sent.text);
    s.t.clock.advance(1000);
    await s.post(inboundWebhook(inboundMessage('text', { body: 'thanks!' })));
    await s.deliver();
    const page = (await s.t.request({ url: '/x/v1/conversations', token: s.admin })).body.conversations as Listed[];
    assert.deepEqual(
      page.map((c) => c.wa_id),
      [CUSTOMER.waId, '16315557001'],
    );
    assert.equal(page[0]!.last_message.preview, 'thanks!');
    assert.equal(page[0]!.unread, 1);
    assert.equal(page[1]!.last_message.id, sent.body.messages[0].id);
    assert.equal(page[1]!.last_message.direction, 'outbound');
  });
});
