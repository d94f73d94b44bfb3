// POST /v1/contacts (docs/api/contacts.md#check-contacts, docs/api/choices.md#contacts): formats, wa_ids, the 7-day
// cache, wait and no_wait, and a network that cannot answer.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { GatewayUnavailableError } from '../../src/services/contact-network.js';
import { MAX_LOOKUP_ATTEMPTS } from '../../src/services/contact-lookup-worker.js';
import {
  ADMIN_PASSWORD,
  eventually,
  startAdminNode,
  startTestNode,
  suiteScope,
  type TestNode,
} from '../support/harness.js';

const DAY_MS = 24 * 60 * 60 * 1000;

interface Answer {
  input: string;
  status: string;
  wa_id?: string;
}

function checker(t: TestNode, token: () => string) {
  return async (body: Record<string, unknown>, expectedStatus = 200): Promise<Answer[]> => {
    const response = await t.request({ method: 'POST', url: '/v1/contacts', token: token(), body });
    assert.equal(response.status, expectedStatus, response.text);
    assert.deepEqual(response.body.meta, { api_status: 'stable', version: 'v2.53.0' });
    return response.body.contacts as Answer[];
  };
}

async function lookupsFor(t: TestNode, waId: string) {
  const rows = await t.node.db.db.selectFrom('contact_lookups').selectAll().orderBy('id').execute();
  return rows.filter((row) => (JSON.parse(row.entries) as { wa_id: string }[]).some((e) => e.wa_id === waId));
}

function cached(t: TestNode, waIds: string[]) {
  return t.node.db.db.selectFrom('contacts').selectAll().where('wa_id', 'in', waIds).orderBy('wa_id').execute();
}

function setOnWhatsApp(t: TestNode, token: string, waId: string, onWhatsApp: boolean) {
  return t
    .request({ method: 'PATCH', url: `/sandbox/customers/${waId}`, token, body: { on_whatsapp: onWhatsApp } })
    .then((response) => assert.equal(response.status, 200, response.text));
}

describe('POST /v1/contacts', () => {
  let t: TestNode;
  let admin: string;
  let user: string;
  let check: ReturnType<typeof checker>;
  const suite = suiteScope();
  before(async () => {
    ({ t, admin } = await startAdminNode(suite));
    user = await t.userToken();
    check = checker(t, () => admin);
  });

  it('answers the reference examples valid with their wa_ids, echoing each input exactly', async () => {
    const inputs = [
      '16315551000',
      '+1 631 555 1001',
      '6315551002',
      '+1 (631) 555-1004',
      '1-631-555-1005',
      '  +1 631 555 1006 ',
    ];
    const answers = await check({ blocking: 'wait', contacts: inputs });
    assert.deepEqual(answers, [
      { input: '16315551000', status: 'valid', wa_id: '16315551000' },
      { input: '+1 631 555 1001', status: 'valid', wa_id: '16315551001' },
      { input: '6315551002', status: 'valid', wa_id: '16315551002' },
      { input: '+1 (631) 555-1004', status: 'valid', wa_id: '16315551004' },
      { input: '1-631-555-1005', status: 'valid', wa_id: '16315551005' },
      { input: '  +1 631 555 1006 ', status: 'valid', wa_id: '16315551006' },
    ]);
  });

  it('reads mobile numbers of many countries, with or without + or 00', async () => {
    const cases: [string, string][] = [
      ['5511987654321', '5511987654321'],
      ['447911123456', '447911123456'],
      ['0044 7911 123457', '447911123457'],
      ['+49 1512 3456789', '4915123456789'],
      ['+91 98765 43210', '919876543210'],
      ['+33 6 12 34 56 78', '33612345678'],
      ['+81 90-1234-5678', '819012345678'],
    ];
    const answers = await check({ blocking: 'wait', contacts: cases.map(([input]) => input) });
    assert.deepEqual(
      answers,
      cases.map(([input, waId]) => ({ input, status: 'valid', wa_id: waId })),
    );
    for (const answer of answers) assert.match(answer.wa_id ?? '', /^\d+$/, 'E.164 digits without +');
  });

  it('answers malformed numbers invalid without a wa_id, in both blocking modes, and looks none of them up', async () => {
    const inputs = ['+163155588', 'abc', '', '12', '+1 631 555 10a6', '+1 631 555 1001 ext 2'];
    for (const blocking of ['wait', 'no_wait']) {
      const before = await t.node.db.db.selectFrom('contact_lookups').select('id').execute();
      const answers = await check({ blocking, contacts: inputs });
      assert.deepEqual(
        answers,
        inputs.map((input) => ({ input, status: 'invalid' })),
      );
      const afterwards = await t.node.db.db.selectFrom('contact_lookups').select('id').execute();
      assert.equal(afterwards.length, before.length, `${blocking} queued nothing`);
    }
  });

  it('answers a fixed-line number invalid: it is not a WhatsApp user', async () => {
    const answers = await check({ blocking: 'wait', contacts: ['+44 20 7946 0958'] });
    assert.deepEqual(answers, [{ input: '+44 20 7946 0958', status: 'invalid' }]);
    assert.deepEqual(
      (await cached(t, ['442079460958'])).map((row) => row.status),
      ['invalid'],
    );
  });

  it('blocking wait writes the 7-day cache', async () => {
    const now = t.clock.now();
    await check({ blocking: 'wait', contacts: ['+1 631 555 2001', '+44 20 7946 0959'] });
    assert.deepEqual(await cached(t, ['16315552001', '442079460959']), [
      { wa_id: '16315552001', status: 'valid', checked_at: now, expires_at: now + 7 * DAY_MS },
      { wa_id: '442079460959', status: 'invalid', checked_at: now, expires_at: now + 7 * DAY_MS },
    ]);
  });

  it('answers duplicates, also in different formats, each in its own place', async () => {
    const inputs = ['+1 631 555 2101', '16315552101', 'abc', '+1 631 555 2101', '(631) 555-2101'];
    for (const blocking of ['wait', 'no_wait']) {
      const answers = await check({ blocking, contacts: inputs });
      assert.deepEqual(
        answers.map((a) => a.input),
        inputs,
      );
      assert.deepEqual(
        answers.map((a) => a.status),
        ['valid', 'valid', 'invalid', 'valid', 'valid'],
        blocking,
      );
      assert.deepEqual(
        answers.map((a) => a.wa_id),
        ['16315552101', '16315552101', undefined, '16315552101', '16315552101'],
      );
    }
  });

  it('no_wait (the default) answers unknown numbers processing and the worker finishes the look-up', async () => {
    await setOnWhatsApp(t, admin, '447911123499', false);
    const inputs = [' +1 631 555 2301', '447911123499', 'abc', '16315552301'];
    const answers = await check({ contacts: inputs });
    assert.deepEqual(answers, [
      { input: ' +1 631 555 2301', status: 'processing', wa_id: '16315552301' },
      { input: '447911123499', status: 'processing', wa_id: '447911123499' },
      { input: 'abc', status: 'invalid' },
      { input: '16315552301', status: 'processing', wa_id: '16315552301' },
    ]);
    const [queued, ...more] = await lookupsFor(t, '16315552301');
    assert.ok(queued, 'a look-up row was stored');
    assert.equal(more.length, 0);
    assert.deepEqual(JSON.parse(queued.entries), [
      { input: ' +1 631 555 2301', wa_id: '16315552301' },
      { input: '447911123499', wa_id: '447911123499' },
      { input: '16315552301', wa_id: '16315552301' },
    ]);

    const done = await eventually(async () => {
      const [row] = await lookupsFor(t, '16315552301');
      return row?.state === 'done' ? row : undefined;
    });
    assert.deepEqual(JSON.parse(done.result ?? 'null'), [
      { input: ' +1 631 555 2301', status: 'valid', wa_id: '16315552301' },
      { input: '447911123499', status: 'invalid' },
      { input: '16315552301', status: 'valid', wa_id: '16315552301' },
    ]);
    assert.equal(done.attempts, 1);
    assert.equal(done.completed_at, t.clock.now());
    assert.deepEqual(
      (await cached(t, ['16315552301', '447911123499'])).map((r) => [r.wa_id, r.status]),
      [
        ['16315552301', 'valid'],
        ['447911123499', 'invalid'],
      ],
    );

    // Now the cache answers at once and nothing more is queued.
    assert.deepEqual(await check({ contacts: ['+1 631 555 2301', '447911123499'] }), [
      { input: '+1 631 555 2301', status: 'valid', wa_id: '16315552301' },
      { input: '447911123499', status: 'invalid' },
    ]);
    assert.equal((await lookupsFor(t, '16315552301')).length, 1);
  });

  it('no_wait answers cached numbers at once and queues only the others', async () => {
    await check({ blocking: 'wait', contacts: ['16315552401'] });
    const answers = await check({ blocking: 'no_wait', contacts: ['16315552401', '16315552402'] });
    assert.deepEqual(answers, [
      { input: '16315552401', status: 'valid', wa_id: '16315552401' },
      { input: '16315552402', status: 'processing', wa_id: '16315552402' },
    ]);
    const [row] = await lookupsFor(t, '16315552402');
    assert.deepEqual(JSON.parse(row?.entries ?? '[]'), [{ input: '16315552402', wa_id: '16315552402' }]);
    assert.equal((await lookupsFor(t, '16315552401')).length, 0);
    await eventually(async () => ((await cached(t, ['16315552402'])).length === 1 ? true : undefined));
  });

  it('force_check with no_wait queues even cached numbers', async () => {
    await check({ blocking: 'wait', contacts: ['16315552501'] });
    const answers = await check({ contacts: ['16315552501'], force_check: true });
    assert.deepEqual(answers, [{ input: '16315552501', status: 'processing', wa_id: '16315552501' }]);
    assert.equal((await lookupsFor(t, '16315552501')).length, 1);
  });

  it('force_check as the string "true" or "false" is read as the boolean; any other string is 400 / 1009', async () => {
    await check({ blocking: 'wait', contacts: ['16315552502', '16315552503'] });
    const table: [string, string, string][] = [
      ['false', '16315552502', 'valid'],
      ['true', '16315552503', 'processing'],
    ];
    for (const [forceCheck, waId, status] of table) {
      assert.deepEqual(
        await check({ contacts: [waId], force_check: forceCheck }),
        [{ input: waId, status, wa_id: waId }],
        forceCheck,
      );
    }
    for (const refused of ['False', 'yes', '1', '', 'true ']) {
      const response = await t.request({
        method: 'POST',
        url: '/v1/contacts',
        token: admin,
        body: { contacts: ['16315552502'], force_check: refused },
      });
      assert.equal(response.status, 400, refused);
      assert.equal(response.body.errors[0].code, 1009);
      assert.equal(response.body.errors[0].details, 'force_check must be of type boolean');
    }
  });

  it('checks up to 1000 numbers in one request; 1001 or none is 400 / 1009', async () => {
    const numbers = Array.from({ length: 1001 }, (_, i) => `+1 631 556 ${String(i).padStart(4, '0')}`);
    const answers = await check({ blocking: 'wait', contacts: numbers.slice(0, 1000) });
    assert.equal(answers.length, 1000);
    assert.ok(
      answers.every(
        (a, i) => a.input === numbers[i] && a.status === 'valid' && a.wa_id === `1631556${String(i).padStart(4, '0')}`,
      ),
    );
    // Reading 1,000 numbers takes libphonenumber up to a second: it must not stall the node, or the overload guard
    // refuses the next requests with 503 / 1016.
    for (const contacts of [numbers, []]) {
      const response = await t.request({
        method: 'POST',
        url: '/v1/contacts',
        token: admin,
        body: { blocking: 'wait', contacts },
      });
      assert.equal(response.status, 400);
      assert.equal(response.body.errors[0].code, 1009);
      assert.match(response.body.errors[0].details, /contacts/);
    }
  });

  it('a ROLE_USER token may check contacts; no token may not', async () => {
    const answers = await checker(t, () => user)({ blocking: 'wait', contacts: ['+1 631 555 2601'] });
    assert.deepEqual(answers, [{ input: '+1 631 555 2601', status: 'valid', wa_id: '16315552601' }]);
    const anonymous = await t.request({ method: 'POST', url: '/v1/contacts', body: { contacts: ['+1 631 555 2601'] } });
    assert.equal(anonymous.status, 401);
    assert.equal(anonymous.body.errors[0].code, 1005);
  });

  // Moves the clock past the 7-day cache (and the tokens' lifetime): keep it last.
  it('a customer marked absent is invalid; back on WhatsApp it needs force_check until the cache expires', async () => {
    const waId = '16315552201';
    await setOnWhatsApp(t, admin, waId, false);
    assert.deepEqual(await check({ blocking: 'wait', contacts: [waId] }), [{ input: waId, status: 'invalid' }]);
    await setOnWhatsApp(t, admin, waId, true);
    assert.deepEqual(
      await check({ blocking: 'wait', contacts: [waId] }),
      [{ input: waId, status: 'invalid' }],
      'cached',
    );
    assert.deepEqual(await check({ contacts: [waId] }), [{ input: waId, status: 'invalid' }], 'cached for no_wait too');
    assert.deepEqual(await check({ blocking: 'wait', contacts: [waId], force_check: true }), [
      { input: waId, status: 'valid', wa_id: waId },
    ]);

    // The forced answer refreshed the cache; after 7 days the number is looked up again.
    await setOnWhatsApp(t, admin, waId, false);
    t.clock.advance(7 * DAY_MS - 1000);
    admin = await t.login('admin', ADMIN_PASSWORD);
    assert.deepEqual(await check({ blocking: 'wait', contacts: [waId] }), [
      { input: waId, status: 'valid', wa_id: waId },
    ]);
    t.clock.advance(1001);
    assert.deepEqual(await check({ blocking: 'wait', contacts: [waId] }), [{ input: waId, status: 'invalid' }]);
  });
});

describe('POST /v1/contacts when the network cannot answer', () => {
  let t: TestNode;
  let admin: string;
  let check: ReturnType<typeof checker>;
  const suite = suiteScope();
  before(async () => {
    t = await startTestNode(suite, {
      wrapGateway: (g) => ({
        ...g,
        kind: g.kind,
        status: () => g.status(),
        close: () => g.close(),
        lookupContacts: async () => {
          throw new GatewayUnavailableError('down');
        },
      }),
    });
    admin = await t.adminToken();
    check = checker(t, () => admin);
  });

  it('blocking wait answers failed without a wa_id and caches nothing', async () => {
    const answers = await check({ blocking: 'wait', contacts: ['+1 631 555 3001', 'abc'] });
    assert.deepEqual(answers, [
      { input: '+1 631 555 3001', status: 'failed' },
      { input: 'abc', status: 'invalid' },
    ]);
    assert.deepEqual(await cached(t, ['16315553001']), []);
  });

  it(`no_wait retries later on the clock, then reports failed after ${MAX_LOOKUP_ATTEMPTS} attempts`, async () => {
    const answers = await check({ contacts: ['+1 631 555 3101'] });
    assert.deepEqual(answers, [{ input: '+1 631 555 3101', status: 'processing', wa_id: '16315553101' }]);
    const row = (attempts: number) =>
      eventually(async () => {
        await t.node.lookupWorker.runOnce();
        const [found] = await lookupsFor(t, '16315553101');
        return found && found.attempts === attempts && found.claimed_until === null ? found : undefined;
      });

    let previousRunAt = t.clock.now();
    for (let attempt = 1; attempt < MAX_LOOKUP_ATTEMPTS; attempt++) {
      const pending = await row(attempt);
      assert.equal(pending.state, 'pending');
      assert.ok(pending.run_at > t.clock.now(), 'the retry is scheduled in the future');
      assert.ok(pending.run_at > previousRunAt, 'each retry is later than the one before');
      previousRunAt = pending.run_at;
      // Not due yet: a pass leaves it alone.
      await t.node.lookupWorker.runOnce();
      assert.equal((await lookupsFor(t, '16315553101'))[0]?.attempts, attempt);
      t.clock.advance(pending.run_at - t.clock.now());
    }
    const done = await eventually(async () => {
      await t.node.lookupWorker.runOnce();
      const [found] = await lookupsFor(t, '16315553101');
      return found?.state === 'done' ? found : undefined;
    });
    assert.equal(done.attempts, MAX_LOOKUP_ATTEMPTS);
    assert.deepEqual(JSON.parse(done.result ?? 'null'), [{ input: '+1 631 555 3101', status: 'failed' }]);
    assert.deepEqual(await cached(t, ['16315553101']), []);

    // Nothing was cached, so the next request queues a fresh look-up.
    assert.deepEqual(await check({ contacts: ['16315553101'] }), [
      { input: '16315553101', status: 'processing', wa_id: '16315553101' },
    ]);
    assert.equal((await lookupsFor(t, '16315553101')).length, 2);
  });
});

describe('POST /v1/contacts when the look-up itself fails', () => {
  let t: TestNode;
  let admin: string;
  const suite = suiteScope();
  before(async () => {
    t = await startTestNode(suite, {
      wrapGateway: (g) => ({
        kind: g.kind,
        status: () => g.status(),
        close: () => g.close(),
        lookupContacts: async () => {
          throw new TypeError('a bug, not an outage');
        },
      }),
    });
    admin = await t.adminToken();
  });

  it(`retries each time the lease runs out, then ends failed after ${MAX_LOOKUP_ATTEMPTS} attempts`, async () => {
    const answers = await checker(t, () => admin)({ contacts: ['+1 631 555 3201'] });
    assert.deepEqual(answers, [{ input: '+1 631 555 3201', status: 'processing', wa_id: '16315553201' }]);
    for (let attempt = 1; attempt <= MAX_LOOKUP_ATTEMPTS; attempt++) {
      await t.node.lookupWorker.runOnce();
      const [row] = await lookupsFor(t, '16315553201');
      assert.equal(row?.attempts, attempt);
      assert.equal(row?.state, attempt < MAX_LOOKUP_ATTEMPTS ? 'pending' : 'done');
      // The lease of the failed attempt must run out before the look-up is claimed again.
      t.clock.advance(31_000);
    }
    const [done] = await lookupsFor(t, '16315553201');
    assert.deepEqual(JSON.parse(done?.result ?? 'null'), [{ input: '+1 631 555 3201', status: 'failed' }]);
  });
});
