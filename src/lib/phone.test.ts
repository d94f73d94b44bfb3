// Phone numbers in the formats On-Prem clients wrote them → wa_ids (docs/api/contacts.md#reading-phone-numbers).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createPhoneNumberReader, readInTurns, type WaId } from './phone.js';

// The sandbox's default business number, +1 631-555-0000: national numbers are read as US/Canada.
const us = createPhoneNumberReader('16315550000');

describe('phone numbers → wa_id', () => {
  it('reads the reference examples in the business number region', () => {
    const cases: [string, string][] = [
      ['16315551000', '16315551000'],
      ['+1 631 555 1001', '16315551001'],
      ['6315551002', '16315551002'],
      ['6315551003', '16315551003'],
      ['+1 (631) 555-1004', '16315551004'],
      ['1-631-555-1005', '16315551005'],
      ['1-631-555-1002', '16315551002'],
      ['(631) 555-1006', '16315551006'],
      ['631.555.1007', '16315551007'],
      ['1 631 555 1008', '16315551008'],
    ];
    for (const [input, waId] of cases) assert.equal(us.toWaId(input), waId, input);
  });

  it('reads international numbers with +, 00 and the North American 011 exit code', () => {
    const cases: [string, string][] = [
      ['+44 7911 123456', '447911123456'],
      ['0044 7911 123456', '447911123456'],
      ['011 44 7911 123456', '447911123456'],
      ['+49 1512 3456789', '4915123456789'],
      ['0049 1512 3456789', '4915123456789'],
      ['+91 98765 43210', '919876543210'],
      ['+55 11 98765-4321', '5511987654321'],
      ['+33 6 12 34 56 78', '33612345678'],
      ['+81 90-1234-5678', '819012345678'],
      ['+61 412 345 678', '61412345678'],
      ['+86 138 0013 8000', '8613800138000'],
    ];
    for (const [input, waId] of cases) assert.equal(us.toWaId(input), waId, input);
  });

  it('reads bare international digits when they are not a valid national number', () => {
    assert.equal(us.toWaId('5511987654321'), '5511987654321');
    assert.equal(us.toWaId('447911123456'), '447911123456');
    assert.equal(us.toWaId('4915123456789'), '4915123456789');
    assert.equal(us.toWaId('919876543210'), '919876543210');
  });

  it('ignores surrounding white space', () => {
    assert.equal(us.toWaId('  +1 631 555 1009  '), '16315551009');
    assert.equal(us.toWaId('\t6315551010\n'), '16315551010');
  });

  it('answers wa_ids as E.164 digits without "+"', () => {
    for (const input of ['+1 631 555 1001', '0044 7911 123456', '+91 98765 43210']) {
      assert.match(us.toWaId(input) ?? '', /^[1-9]\d{6,14}$/, input);
    }
  });

  it('rejects malformed and invalid numbers', () => {
    const invalid = [
      '',
      '   ',
      'abc',
      '12',
      '+',
      '++16315551000',
      '+163155588',
      '+1 631 555 10a6',
      '16315551000 ext 2',
      '+1 631 555 1001#',
      '+1 000 555 1000',
      '1'.repeat(41),
      'six three one',
    ];
    for (const input of invalid) assert.equal(us.toWaId(input), null, JSON.stringify(input));
  });

  it('reads national numbers in the region of a business number elsewhere', () => {
    const uk = createPhoneNumberReader('447911000000');
    assert.equal(uk.toWaId('07911 123456'), '447911123456');
    assert.equal(uk.toWaId('+1 631 555 1001'), '16315551001');
    // The same national digits mean a different number in another region.
    assert.equal(us.toWaId('07911 123456'), null);
  });

  it('tells mobile numbers from fixed lines', () => {
    assert.equal(us.isMobile('447911123456' as WaId), true);
    assert.equal(us.isMobile('4915123456789' as WaId), true);
    assert.equal(us.isMobile('5511987654321' as WaId), true);
    assert.equal(us.isMobile('442079460958' as WaId), false, 'a London fixed line');
    assert.equal(us.isMobile('4930123456' as WaId), false, 'a Berlin fixed line');
    // North American numbers share ranges between mobiles and fixed lines, so they can carry WhatsApp.
    assert.equal(us.isMobile('16315551000' as WaId), true);
    assert.equal(us.isMobile('18005550100' as WaId), false, 'toll free');
  });

  it('reads many numbers in order, letting other work run between turns', async () => {
    const inputs = Array.from({ length: 250 }, (_, i) => `+1 631 557 ${String(i).padStart(4, '0')}`);
    let otherWorkRan = false;
    setImmediate(() => {
      otherWorkRan = true;
    });
    const waIds = await readInTurns(inputs, (input) => us.toWaId(input));
    assert.equal(otherWorkRan, true, 'the event loop had a turn');
    assert.deepEqual(
      waIds,
      inputs.map((_, i) => `1631557${String(i).padStart(4, '0')}`),
    );
    assert.deepEqual(await readInTurns([], (input: string) => us.toWaId(input)), []);
  });
});
