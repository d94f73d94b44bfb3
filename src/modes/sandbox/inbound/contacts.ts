// Shared contact cards (`type: "contacts"`): the vCard-like structure of docs/api/messages.md#contact-cards, which
// inbound messages carry unchanged (docs/api/webhooks.md#inbound-messages). Only name.formatted_name is required.
// The type labels are the documented lists; other vCard labels are refused so that test data looks like what
// WhatsApp delivers.
import {
  child,
  compact,
  field,
  has,
  invalid,
  missing,
  optionalEnum,
  optionalString,
  readArray,
  readObject,
  requiredString,
  WA_ID,
  WA_ID_EXPECTED,
  type JsonObject,
} from './fields.js';

const PHONE_TYPES = ['CELL', 'MAIN', 'IPHONE', 'HOME', 'WORK'] as const;
const PLACE_TYPES = ['HOME', 'WORK'] as const;

export function readContactCards(value: unknown, path: string): JsonObject[] {
  return readArray(value, path).map((card, index) => readCard(card, `${path}[${index}]`));
}

function readCard(value: unknown, path: string): JsonObject {
  const card = readObject(value, path, ['name', 'addresses', 'birthday', 'emails', 'org', 'phones', 'urls']);
  if (!has(card, 'name')) throw missing(child(path, 'name'));
  return compact({
    name: readName(field(card, 'name'), child(path, 'name')),
    addresses: readList(card, path, 'addresses', readAddress),
    birthday: readBirthday(card, path),
    emails: readList(card, path, 'emails', readEmail),
    org: has(card, 'org') ? readOrg(field(card, 'org'), child(path, 'org')) : undefined,
    phones: readList(card, path, 'phones', readPhone),
    urls: readList(card, path, 'urls', readUrl),
  });
}

/** An optional list; `[]` is accepted (serialisers write it for "none") and kept. */
function readList(
  card: JsonObject,
  path: string,
  key: string,
  read: (value: unknown, path: string) => JsonObject,
): JsonObject[] | undefined {
  if (!has(card, key)) return undefined;
  const at = child(path, key);
  return readArray(field(card, key), at, 0).map((item, index) => read(item, `${at}[${index}]`));
}

function readName(value: unknown, path: string): JsonObject {
  const name = readObject(value, path, [
    'formatted_name',
    'first_name',
    'last_name',
    'middle_name',
    'suffix',
    'prefix',
  ]);
  return compact({
    formatted_name: requiredString(name, path, 'formatted_name'),
    first_name: optionalString(name, path, 'first_name'),
    last_name: optionalString(name, path, 'last_name'),
    middle_name: optionalString(name, path, 'middle_name'),
    suffix: optionalString(name, path, 'suffix'),
    prefix: optionalString(name, path, 'prefix'),
  });
}

function readAddress(value: unknown, path: string): JsonObject {
  const address = readObject(value, path, ['street', 'city', 'state', 'zip', 'country', 'country_code', 'type']);
  return compact({
    street: optionalString(address, path, 'street'),
    city: optionalString(address, path, 'city'),
    state: optionalString(address, path, 'state'),
    zip: optionalString(address, path, 'zip'),
    country: optionalString(address, path, 'country'),
    country_code: optionalString(address, path, 'country_code', {
      pattern: /^[A-Za-z]{2}$/,
      expected: 'a two-letter ISO 3166 country code',
    }),
    type: optionalEnum(address, path, 'type', PLACE_TYPES),
  });
}

function readBirthday(card: JsonObject, path: string): string | undefined {
  const expected = 'a date as YYYY-MM-DD';
  const birthday = optionalString(card, path, 'birthday', { pattern: /^\d{4}-\d{2}-\d{2}$/, expected });
  if (birthday === undefined) return undefined;
  // The pattern lets 2023-02-30 through: a real date survives the round trip through Date unchanged.
  const [year, month, day] = birthday.split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
    throw invalid(child(path, 'birthday'), expected);
  }
  return birthday;
}

function readEmail(value: unknown, path: string): JsonObject {
  const email = readObject(value, path, ['email', 'type']);
  return compact({
    email: optionalString(email, path, 'email', { pattern: /^[^\s@]+@[^\s@]+$/, expected: 'an email address' }),
    type: optionalEnum(email, path, 'type', PLACE_TYPES),
  });
}

function readOrg(value: unknown, path: string): JsonObject {
  const org = readObject(value, path, ['company', 'department', 'title']);
  return compact({
    company: optionalString(org, path, 'company'),
    department: optionalString(org, path, 'department'),
    title: optionalString(org, path, 'title'),
  });
}

function readPhone(value: unknown, path: string): JsonObject {
  const phone = readObject(value, path, ['phone', 'type', 'wa_id']);
  return compact({
    phone: optionalString(phone, path, 'phone'),
    type: optionalEnum(phone, path, 'type', PHONE_TYPES),
    wa_id: optionalString(phone, path, 'wa_id', { pattern: WA_ID, expected: WA_ID_EXPECTED }),
  });
}

function readUrl(value: unknown, path: string): JsonObject {
  const url = readObject(value, path, ['url', 'type']);
  return compact({
    url: optionalString(url, path, 'url'),
    type: optionalEnum(url, path, 'type', PLACE_TYPES),
  });
}
