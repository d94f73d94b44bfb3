// Contacts messages (docs/api/messages.md#contact-cards).
import assert from 'node:assert/strict';
import { describe } from 'node:test';
import { itAccepts, itRejects, message, times } from './test-table.js';

// The card of docs/api/messages.md#contact-cards with every field filled in.
const fullCard = {
  name: {
    formatted_name: 'John Smith',
    first_name: 'John',
    last_name: 'Smith',
    middle_name: 'Q',
    suffix: 'Jr',
    prefix: 'Dr',
  },
  addresses: [
    {
      street: '1 Hacker Way',
      city: 'Menlo Park',
      state: 'CA',
      zip: '94025',
      country: 'United States',
      country_code: 'us',
      type: 'WORK',
    },
    {
      street: '2 Home St',
      city: 'Menlo Park',
      state: 'CA',
      zip: '94025',
      country: 'United States',
      country_code: 'us',
      type: 'HOME',
    },
  ],
  birthday: '2012-08-18',
  emails: [
    { email: 'john@example.com', type: 'WORK' },
    { email: 'john@home.example', type: 'HOME' },
  ],
  org: { company: 'WhatsApp', department: 'Design', title: 'Manager' },
  phones: [
    { phone: '+1 (940) 555-1234', type: 'HOME' },
    { phone: '+1 (650) 555-1234', type: 'WORK', wa_id: '16505551234' },
    { phone: '+1 (650) 555-0000', type: 'CELL' },
    { phone: '+1 (650) 555-0001', type: 'MAIN' },
    { phone: '+1 (650) 555-0002', type: 'IPHONE' },
  ],
  urls: [
    { url: 'https://www.example.com', type: 'WORK' },
    { url: 'https://home.example', type: 'HOME' },
  ],
};
const minimal = { name: { formatted_name: 'Ann' } };
const contacts = (...cards: unknown[]) => message('contacts', cards);
const withCard = (fields: Record<string, unknown>) => contacts({ ...minimal, ...fields });

describe('contacts messages: accepted', () => {
  itAccepts([
    {
      name: 'a card with every field',
      body: contacts(fullCard),
      expect: (m) => assert.deepEqual(m.content, [fullCard]),
    },
    { name: 'a card with only name.formatted_name', body: contacts(minimal) },
    { name: 'several cards', body: contacts(fullCard, minimal) },
    {
      name: '257 cards',
      body: message(
        'contacts',
        times(257, () => minimal),
      ),
    },
    {
      name: 'empty lists and empty strings ("none", as serialisers write it)',
      body: withCard({ phones: [], emails: [], urls: [], addresses: [{ street: '' }], org: { company: '' } }),
    },
    { name: 'a birthday on 29 February of a leap year', body: withCard({ birthday: '2000-02-29' }) },
    {
      name: "ims: [] as Meta's collection sends it",
      body: withCard({ ims: [] }),
      expect: (m) => assert.deepEqual(m.content, [{ ...minimal, ims: [] }]),
    },
    { name: 'ims with instant-messaging handles', body: withCard({ ims: ['john.smith', 'xmpp:john@example.com'] }) },
  ]);
});

describe('contacts messages: refused', () => {
  itRejects([
    { name: 'no card', body: message('contacts', []), code: 1009, details: /^contacts must have 1 to 257 items$/ },
    {
      name: 'more than 257 cards',
      body: message(
        'contacts',
        times(258, () => minimal),
      ),
      code: 1009,
      details: /^contacts must have 1 to 257 items$/,
    },
    {
      name: 'contacts as an object',
      body: message('contacts', minimal),
      code: 1009,
      details: /^contacts must be of type array$/,
    },
    {
      name: 'a card without name',
      body: contacts({ phones: [] }),
      code: 1008,
      details: /^missing required parameter contacts\[0\]\.name$/,
    },
    {
      name: 'a name without formatted_name',
      body: contacts(minimal, { name: { first_name: 'Bo' } }),
      code: 1008,
      details: /^missing required parameter contacts\[1\]\.name\.formatted_name$/,
    },
    {
      name: 'an empty formatted_name',
      body: contacts({ name: { formatted_name: ' ' } }),
      code: 1009,
      details: /^contacts\[0\]\.name\.formatted_name must not be empty or blank$/,
    },
    {
      name: 'a phone type in lower case',
      body: withCard({ phones: [{ phone: '1', type: 'cell' }] }),
      code: 1009,
      details: /^contacts\[0\]\.phones\[0\]\.type must be one of "CELL", "MAIN", "IPHONE", "HOME", "WORK"$/,
    },
    {
      name: 'an address type not in the list',
      body: withCard({ addresses: [{ city: 'x', type: 'OTHER' }] }),
      code: 1009,
      details: /^contacts\[0\]\.addresses\[0\]\.type must be one of "HOME", "WORK"$/,
    },
    {
      name: 'an email type not in the list',
      body: withCard({ emails: [{ email: 'a@b', type: 'CELL' }] }),
      code: 1009,
      details: /^contacts\[0\]\.emails\[0\]\.type must be one of "HOME", "WORK"$/,
    },
    {
      name: 'a url type not in the list',
      body: withCard({ urls: [{ url: 'https://a', type: 'BLOG' }] }),
      code: 1009,
      details: /^contacts\[0\]\.urls\[0\]\.type must be one of "HOME", "WORK"$/,
    },
    {
      name: 'a birthday that is not a date',
      body: withCard({ birthday: '1990-02-30' }),
      code: 1009,
      details: /^contacts\[0\]\.birthday must be a date as YYYY-MM-DD$/,
    },
    {
      name: 'a birthday in another format',
      body: withCard({ birthday: '18/08/2012' }),
      code: 1009,
      details: /^contacts\[0\]\.birthday must be a date as YYYY-MM-DD$/,
    },
    {
      name: 'a birthday without leading zeros',
      body: withCard({ birthday: '2012-8-18' }),
      code: 1009,
      details: /^contacts\[0\]\.birthday must be a date as YYYY-MM-DD$/,
    },
    {
      name: 'a phones entry with another field',
      body: withCard({ phones: [{ phone: '1', label: 'x' }] }),
      code: 1010,
      details: /^contacts\[0\]\.phones\[0\]\.label is not an accepted parameter$/,
    },
    {
      name: 'an unknown field on a card',
      body: withCard({ nickname: 'J' }),
      code: 1010,
      details: /^contacts\[0\]\.nickname is not an accepted parameter$/,
    },
    {
      name: 'an unknown field in org',
      body: withCard({ org: { company: 'A', size: 3 } }),
      code: 1010,
      details: /^contacts\[0\]\.org\.size is not an accepted parameter$/,
    },
    {
      name: 'phones as an object',
      body: withCard({ phones: { phone: '1' } }),
      code: 1009,
      details: /^contacts\[0\]\.phones must be of type array$/,
    },
    {
      name: 'ims as a string',
      body: withCard({ ims: 'john' }),
      code: 1009,
      details: /^contacts\[0\]\.ims must be of type array$/,
    },
    {
      name: 'an ims entry that is an object',
      body: withCard({ ims: [{ im: 'john' }] }),
      code: 1009,
      details: /^contacts\[0\]\.ims\[0\] must be of type string$/,
    },
    {
      name: 'a blank ims entry',
      body: withCard({ ims: ['john', ' '] }),
      code: 1009,
      details: /^contacts\[0\]\.ims\[1\] must not be empty or blank$/,
    },
    {
      name: 'a phone that is a number',
      body: withCard({ phones: [{ phone: 16505551234 }] }),
      code: 1009,
      details: /^contacts\[0\]\.phones\[0\]\.phone must be of type string$/,
    },
  ]);
});
