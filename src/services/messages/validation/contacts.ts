// Contact cards (docs/api/messages.md#contact-cards): the vCard-like objects of a `contacts` message. Only
// name.formatted_name is required; the type labels are the documented lists, exactly (HOME, not home).
//
// Outbound cards are checked for shape only: the other strings may be empty and are not checked for format (an
// email, a country code), because serialisers write "" for "none" and the card is shown, not dialled or mailed, by
// WhatsApp. The sandbox's inbound readers (src/modes/sandbox/inbound/contacts.ts) are stricter on purpose.
import { invalid, type JsonObject, type PayloadFamily } from './family.js';
import { arrayOf, named, object, oneOfStrings, string, text } from './schema.js';

/**
 * The old API's documentation gives no bound. 257 is the most contacts the WhatsApp app itself shares in one message
 * (reported, UNCONFIRMED for the API); it keeps a body from carrying an unbounded list.
 */
const CONTACTS_MAX = 257;

const PHONE_TYPES = ['CELL', 'MAIN', 'IPHONE', 'HOME', 'WORK'] as const;
const PLACE_TYPES = ['HOME', 'WORK'] as const;
const BIRTHDAY = 'be a date as YYYY-MM-DD';

const plain = string();
const placeType = oneOfStrings(PLACE_TYPES);

const card = named(
  'contacts/card',
  object(
    {
      name: object(
        {
          formatted_name: text(),
          first_name: plain,
          last_name: plain,
          middle_name: plain,
          suffix: plain,
          prefix: plain,
        },
        ['formatted_name'],
      ),
      addresses: arrayOf(
        object({
          street: plain,
          city: plain,
          state: plain,
          zip: plain,
          country: plain,
          country_code: plain,
          type: placeType,
        }),
      ),
      birthday: string(0, undefined, {
        pattern: '^\\d{4}-\\d{2}-\\d{2}$',
        'x-errors': { pattern: { details: `{path} must ${BIRTHDAY}` } },
      }),
      emails: arrayOf(object({ email: plain, type: placeType })),
      // Instant-messaging handles: in Meta's collection (often as "ims": []) and in the published Contact schema, an
      // array of strings with no stated format, so each entry only has to say something (not empty or blank).
      ims: arrayOf(text()),
      org: object({ company: plain, department: plain, title: plain }),
      phones: arrayOf(object({ phone: plain, type: oneOfStrings(PHONE_TYPES), wa_id: plain })),
      urls: arrayOf(object({ url: plain, type: placeType })),
    },
    ['name'],
  ),
);

export const contactsFamily: PayloadFamily = {
  schema: arrayOf(card, 1, CONTACTS_MAX),
  check(payload) {
    (payload as JsonObject[]).forEach((contact, index) => {
      if (typeof contact.birthday === 'string' && !isCalendarDate(contact.birthday))
        throw invalid(`contacts[${index}].birthday`, BIRTHDAY);
    });
  },
};

/** The pattern lets 2023-02-30 through: a real date survives the round trip through Date unchanged. */
function isCalendarDate(value: string): boolean {
  const [year, month, day] = value.split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}
