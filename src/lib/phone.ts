// Phone numbers in any common format → WhatsApp ids (E.164 digits without '+').
import { setImmediate as nextTurn } from 'node:timers/promises';
import { parsePhoneNumberFromString, type CountryCode, type PhoneNumber } from 'libphonenumber-js/max';
import { LRUCache } from 'lru-cache';

export type WaId = string & { readonly __brand: 'WaId' };

export interface PhoneNumberReader {
  /** The wa_id of a valid number, or null when the input is not a valid phone number. */
  toWaId(input: string): WaId | null;
  /** True for numbers that can carry WhatsApp (mobile, or a region where mobile and fixed lines share ranges). */
  isMobile(waId: WaId): boolean;
}

/**
 * Reads numbers the way On-Prem clients wrote them: "+1 631 555 1001", "1-631-555-1005", "(631) 555-1004",
 * "6315551002" (national, read in the business number's region) and bare international digits such as
 * "5511987654321" (tried as +5511987654321 when the national reading is not a valid number).
 */
export function createPhoneNumberReader(businessWaId: string): PhoneNumberReader {
  const business = parsePhoneNumberFromString(`+${businessWaId}`);
  const region: CountryCode | undefined = business?.country;
  // Reading a number costs 20-65 µs and typing it 15-40 µs (measured per number on the reference machine), and
  // integrations check the same numbers again and again before sending. Both are pure, so their answers are
  // remembered: 50,000 entries each, about 10 MB at most.
  const waIds = new LRUCache<string, { waId: WaId | null }>({ max: MEMO_ENTRIES });
  const mobiles = new LRUCache<string, boolean>({ max: MEMO_ENTRIES });
  return {
    toWaId(input) {
      let memo = waIds.get(input);
      if (!memo) {
        const parsed = parseAny(input, region);
        memo = { waId: parsed ? (parsed.number.slice(1) as WaId) : null };
        waIds.set(input, memo);
      }
      return memo.waId;
    },
    isMobile(waId) {
      let mobile = mobiles.get(waId);
      if (mobile === undefined) {
        const type = parsePhoneNumberFromString(`+${waId}`)?.getType();
        mobile = type === 'MOBILE' || type === 'FIXED_LINE_OR_MOBILE';
        mobiles.set(waId, mobile);
      }
      return mobile;
    },
  };
}

const MEMO_ENTRIES = 50_000;

function parseAny(input: string, region: CountryCode | undefined): PhoneNumber | null {
  const text = input.trim();
  // Only digits and the usual separators: anything else (letters, extensions) is not a number we send to.
  if (text.length === 0 || text.length > 40 || !/^[+\d\s().\-/]+$/.test(text)) return null;
  const international = text.replace(/^00/, '+');
  if (international.startsWith('+')) return valid(parsePhoneNumberFromString(international));
  return valid(parsePhoneNumberFromString(text, region)) ?? valid(parsePhoneNumberFromString(`+${text}`));
}

function valid(parsed: PhoneNumber | undefined): PhoneNumber | null {
  return parsed?.isValid() ? parsed : null;
}

// libphonenumber's full metadata costs about 0.1-0.8 ms a number (its patterns are compiled on every match), so the
// 1,000 numbers of one POST /v1/contacts read in one go would stall the event loop for up to a second and make the
// overload guard refuse every other request meanwhile. 100 numbers keep one turn in the tens of milliseconds.
const NUMBERS_PER_TURN = 100;

/** Maps many numbers with `read`, giving the event loop a turn after every NUMBERS_PER_TURN of them. */
export async function readInTurns<T, R>(items: readonly T[], read: (item: T) => R): Promise<R[]> {
  const results: R[] = [];
  for (let i = 0; i < items.length; i += NUMBERS_PER_TURN) {
    if (i > 0) await nextTurn();
    for (const item of items.slice(i, i + NUMBERS_PER_TURN)) results.push(read(item));
  }
  return results;
}
