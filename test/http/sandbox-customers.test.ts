// GET / PATCH /sandbox/customers/{wa_id} (docs/api/sandbox.md#virtual-customers): the virtual customers of the
// simulated network, their defaults, validation, access and persistence in the database.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { startAdminNode, startTestNode, suiteScope, type TestNode } from '../support/harness.js';
import { assertError } from '../support/assertions.js';

const EXPERIMENTAL = { api_status: 'experimental', version: 'v2.53.0' };

interface Customer {
  wa_id: string;
  name: string;
  on_whatsapp: boolean;
  read_receipts: boolean;
  online: boolean;
  fail_with: number | null;
}

function defaults(waId: string, onWhatsApp = true): Customer {
  return {
    wa_id: waId,
    name: `Customer ${waId.slice(-4)}`,
    on_whatsapp: onWhatsApp,
    read_receipts: true,
    online: true,
    fail_with: null,
  };
}

describe('sandbox customer controls', () => {
  let t: TestNode;
  let admin: string;
  const suite = suiteScope();
  before(async () => ({ t, admin } = await startAdminNode(suite)));

  const url = (number: string) => `/sandbox/customers/${encodeURIComponent(number)}`;
  const get = (number: string, token = admin) => t.request({ url: url(number), token });
  const patch = (number: string, body: unknown, token = admin) =>
    t.request({ method: 'PATCH', url: url(number), token, body });

  async function customer(response: Promise<{ status: number; body: any; text: string }>): Promise<Customer> {
    const { status, body, text } = await response;
    assert.equal(status, 200, text);
    assert.deepEqual(body.meta, EXPERIMENTAL);
    assert.equal(body.customers.length, 1);
    return body.customers[0] as Customer;
  }

  it('a customer nobody configured is on WhatsApp with default behaviour and a name', async () => {
    assert.deepEqual(await customer(get('16315554001')), defaults('16315554001'));
    assert.deepEqual(await customer(get('447911124001')), defaults('447911124001'));
    // Reading does not store anything.
    const rows = await t.node.db.db
      .selectFrom('sandbox_customers')
      .select('wa_id')
      .where('wa_id', '=', '16315554001')
      .execute();
    assert.deepEqual(rows, []);
  });

  it('a fixed-line number is not on WhatsApp by default', async () => {
    assert.deepEqual(await customer(get('+44 20 7946 0960')), defaults('442079460960', false));
  });

  it('any phone number format in the path is the same customer', async () => {
    await customer(patch('+1 (631) 555-4101', { name: 'Kerry' }));
    for (const form of [
      '16315554101',
      '+16315554101',
      '+1 631 555 4101',
      '6315554101',
      '1-631-555-4101',
      '(631) 555-4101',
    ]) {
      assert.deepEqual(await customer(get(form)), { ...defaults('16315554101'), name: 'Kerry' }, form);
    }
  });

  it('a path that is not a valid phone number is 404 / 1006', async () => {
    for (const form of ['abc', '12', '+163155588', '1631555410x']) {
      assertError(await get(form), 404, 1006, /not a valid phone number/);
      assertError(await patch(form, { online: false }), 404, 1006);
    }
  });

  it('PATCH sets each field and keeps the others', async () => {
    const waId = '16315554201';
    let expected = defaults(waId);
    const steps: Partial<Customer>[] = [
      { name: 'Ada Lovelace' },
      { on_whatsapp: false },
      { read_receipts: false },
      { online: false },
      { fail_with: 471 },
      { on_whatsapp: true },
      { name: 'Ada' },
    ];
    for (const changes of steps) {
      expected = { ...expected, ...changes };
      assert.deepEqual(await customer(patch(waId, changes)), expected, JSON.stringify(changes));
      assert.deepEqual(await customer(get(waId)), expected);
    }
    const row = await t.node.db.db
      .selectFrom('sandbox_customers')
      .selectAll()
      .where('wa_id', '=', waId)
      .executeTakeFirstOrThrow();
    assert.deepEqual([row.name, row.on_whatsapp, row.read_receipts, row.online, row.fail_with], ['Ada', 1, 0, 0, 471]);
  });

  it('PATCH sets several fields at once, and an empty PATCH changes nothing', async () => {
    const waId = '16315554301';
    const changes = { name: 'Grace', on_whatsapp: false, read_receipts: false, online: false, fail_with: 1013 };
    assert.deepEqual(await customer(patch(waId, changes)), { wa_id: waId, ...changes });
    assert.deepEqual(await customer(patch(waId, {})), { wa_id: waId, ...changes });
    assert.deepEqual(await customer(get(waId)), { wa_id: waId, ...changes });
  });

  it('PATCHes of different fields at the same time all hold', async () => {
    const waId = '16315554351';
    for (let round = 0; round < 2; round++) {
      // The first round creates the customer, the second changes an existing one.
      const value = round === 0;
      const changes = [
        { name: `Kim ${round}` },
        { on_whatsapp: !value },
        { read_receipts: !value },
        { online: !value },
        { fail_with: value ? 472 : null },
      ];
      const responses = await Promise.all(changes.map((change) => patch(waId, change)));
      for (const response of responses) assert.equal(response.status, 200, response.text);
      assert.deepEqual(await customer(get(waId)), { wa_id: waId, ...Object.assign({}, ...changes) });
    }
  });

  it('name null goes back to the default name', async () => {
    const waId = '16315554401';
    await customer(patch(waId, { name: 'Linus', online: false }));
    assert.deepEqual(await customer(patch(waId, { name: null })), { ...defaults(waId), online: false });
    assert.deepEqual(await customer(get(waId)), { ...defaults(waId), online: false });
  });

  it('fail_with accepts null and the sandbox failure codes, and nothing else', async () => {
    const waId = '16315554501';
    for (const code of [1026, 471, 472, 1013, null]) {
      assert.equal((await customer(patch(waId, { fail_with: code }))).fail_with, code);
      assert.equal((await customer(get(waId))).fail_with, code);
    }
    for (const code of [999, 1000, 131026, 0, -1, '1026', 471.5, true]) {
      assertError(await patch(waId, { fail_with: code }), 400, 1009, /fail_with/);
    }
    assert.equal((await customer(get(waId))).fail_with, null, 'rejected changes are not stored');
  });

  it('an unknown field is 400 / 1010 and a wrong type is 400 / 1009, naming the field', async () => {
    const waId = '16315554601';
    assertError(await patch(waId, { nickname: 'x' }), 400, 1010, /nickname is not an accepted parameter/);
    assertError(await patch(waId, { wa_id: '16315554602' }), 400, 1010, /wa_id/);
    assertError(await patch(waId, { on_whatsapp: 'yes' }), 400, 1009, /on_whatsapp must be of type boolean/);
    assertError(await patch(waId, { read_receipts: 0 }), 400, 1009, /read_receipts/);
    assertError(await patch(waId, { online: null }), 400, 1009, /online/);
    assertError(await patch(waId, { name: 42 }), 400, 1009, /name/);
    assertError(await patch(waId, { name: '' }), 400, 1009, /name/);
    assertError(await patch(waId, ['online']), 400, 1009);
    assert.deepEqual(await customer(get(waId)), defaults(waId), 'nothing was stored');
  });

  it('only admins may read or change customers', async () => {
    const user = await t.userToken();
    assertError(await get('16315554701', user), 403, 1005);
    assertError(await patch('16315554701', { online: false }, user), 403, 1005);
    assertError(await t.request({ url: url('16315554701') }), 401, 1005);
    assertError(await t.request({ method: 'PATCH', url: url('16315554701'), body: { online: false } }), 401, 1005);
    assert.deepEqual(await customer(get('16315554701')), defaults('16315554701'));
  });

  it('on_whatsapp decides what POST /v1/contacts answers, fixed lines included', async () => {
    await customer(patch('+44 20 7946 0961', { on_whatsapp: true }));
    await customer(patch('16315554801', { on_whatsapp: false }));
    const response = await t.request({
      method: 'POST',
      url: '/v1/contacts',
      token: admin,
      body: { blocking: 'wait', contacts: ['+44 20 7946 0961', '16315554801'] },
    });
    assert.equal(response.status, 200, response.text);
    assert.deepEqual(response.body.contacts, [
      { input: '+44 20 7946 0961', status: 'valid', wa_id: '442079460961' },
      { input: '16315554801', status: 'invalid' },
    ]);
  });

  it('changes are kept in the database: another node on it sees them', async (context) => {
    const changes = { name: 'Margaret', on_whatsapp: false, read_receipts: false, online: false, fail_with: 1026 };
    await customer(patch('+1 631 555 4901', changes));
    const second = await startTestNode(context, { shareDatabaseOf: t });
    const token = await second.adminToken();
    const seen = await second.request({ url: url('6315554901'), token });
    assert.equal(seen.status, 200, seen.text);
    assert.deepEqual(seen.body.customers, [{ wa_id: '16315554901', ...changes }]);
    const checked = await second.request({
      method: 'POST',
      url: '/v1/contacts',
      token,
      body: { blocking: 'wait', contacts: ['16315554901'] },
    });
    assert.deepEqual(checked.body.contacts, [{ input: '16315554901', status: 'invalid' }]);
  });
});

describe('sandbox customer list', () => {
  let t: TestNode;
  let admin: string;
  const suite = suiteScope();
  before(async () => ({ t, admin } = await startAdminNode(suite)));

  const list = (query = '', token = admin) => t.request({ url: `/sandbox/customers${query}`, token });

  it('lists the stored customers in wa_id order, and nothing while none is stored', async () => {
    const empty = await list();
    assert.equal(empty.status, 200, empty.text);
    assert.deepEqual(empty.body, { customers: [], paging: { after: null }, meta: EXPERIMENTAL });
    const numbers = ['447911124009', '16315557003', '16315557001', '16315557002'];
    for (const number of numbers)
      await t.request({ method: 'PATCH', url: `/sandbox/customers/${number}`, token: admin, body: { online: false } });
    // A customer who writes with a profile name is stored too; one only read is not.
    const inbound = await t.request({
      method: 'POST',
      url: '/sandbox/inbound',
      token: admin,
      body: { from: '16315557000', profile: { name: 'Kerry' }, type: 'text', text: { body: 'hi' } },
    });
    assert.equal(inbound.status, 201, inbound.text);
    await t.request({ url: '/sandbox/customers/16315557999', token: admin });
    const all = await list();
    assert.deepEqual(
      all.body.customers.map((c: Customer) => c.wa_id),
      ['16315557000', '16315557001', '16315557002', '16315557003', '447911124009'],
    );
    assert.deepEqual(
      all.body.customers[1],
      { ...defaults('16315557001'), online: false },
      'the same object as GET /sandbox/customers/{wa_id}',
    );
    assert.equal(all.body.customers[0].name, 'Kerry');
    assert.deepEqual(all.body.paging, { after: null });
  });

  it('pages by wa_id: the cursor walks every customer once, and the last page says there is no other', async () => {
    for (let i = 0; i < 7; i++)
      await t.request({
        method: 'PATCH',
        url: `/sandbox/customers/1631555810${i}`,
        token: admin,
        body: { read_receipts: false },
      });
    const expected = (await list('?limit=500')).body.customers.map((c: Customer) => c.wa_id);
    assert.ok(expected.length >= 7);
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    do {
      const page = await list(`?limit=3${after ? `&after=${after}` : ''}`);
      assert.equal(page.status, 200, page.text);
      assert.ok(page.body.customers.length <= 3);
      seen.push(...page.body.customers.map((c: Customer) => c.wa_id));
      after = page.body.paging.after;
      if (after) assert.equal(after, seen.at(-1));
      pages += 1;
    } while (after && pages < 20);
    assert.deepEqual(seen, expected);
    assert.equal(pages, Math.ceil(expected.length / 3));
    // A cursor past the last customer is an empty last page.
    assert.deepEqual((await list(`?after=${expected.at(-1)}`)).body.customers, []);
  });

  it('refuses a bad limit or cursor, and unknown parameters, with the API codes', async () => {
    for (const limit of ['0', '501', '-1', '1.5', 'ten', ''])
      assertError(await list(`?limit=${limit}`), 400, 1009, /query parameter limit/);
    for (const after of ['abc', '+16315550000', '1'.repeat(21)])
      assertError(await list(`?after=${encodeURIComponent(after)}`), 400, 1009, /query parameter after/);
    assertError(await list('?limit=2&limit=3'), 400, 1009, /limit/);
    assertError(await list('?before=16315550000'), 400, 1010, /before is not an accepted parameter/);
  });

  it('is for admins only', async () => {
    assertError(await list('', await t.userToken()), 403, 1005);
    assertError(await t.request({ url: '/sandbox/customers' }), 401, 1005);
  });
});
