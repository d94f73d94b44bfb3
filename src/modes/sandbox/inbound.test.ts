// POST /sandbox/inbound bodies → the On-Prem inbound message object and webhook payload
// (docs/api/webhooks.md#inbound-messages).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApiError } from '../../errors.js';
import { completeSystemMessage, inboundWebhook, validateSandboxInbound, type SandboxInbound } from './inbound.js';

const BUSINESS = '16315550000';
const KERRY = '16315551234';
/** sha256("media-1"): the stand-in digest of the first media id. */
const MEDIA_1_SHA = '472bec8bbe29a574a4d5794d1c8cb21fc4b819d3b189734ffcb62fc00035a384';
const GIVEN_SHA = 'ab'.repeat(32);

function options() {
  let next = 0;
  return { businessWaId: BUSINESS, newMediaId: () => `media-${++next}` };
}

const WEBHOOK = { waId: KERRY, profileName: 'Kerry Fisher', id: 'wamid.IN1', timestamp: 1_518_694_235_987 };
const HEAD = { from: KERRY, id: 'wamid.IN1', timestamp: '1518694235' };

interface ValidCase {
  name: string;
  body: Record<string, unknown>;
  /** The message object; the webhook's message is HEAD followed by it unless `webhookMessage` says otherwise. */
  message: Record<string, unknown>;
  webhookMessage?: Record<string, unknown>;
  rest?: Partial<SandboxInbound>;
}

const card = {
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
  ],
  birthday: '1980-02-29',
  emails: [{ email: 'john@example.com', type: 'WORK' }],
  org: { company: 'WhatsApp', department: 'Design', title: 'Manager' },
  phones: [
    { phone: '+1 (940) 555-1234', type: 'CELL', wa_id: '19405551234' },
    { phone: '+1 650 555 1234', type: 'WORK' },
  ],
  urls: [{ url: 'https://www.example.com', type: 'WORK' }],
};

const valid: ValidCase[] = [
  {
    name: 'text',
    body: { from: KERRY, profile: { name: 'Kerry' }, type: 'text', text: { body: 'hi' } },
    message: { type: 'text', text: { body: 'hi' } },
    rest: { profileName: 'Kerry' },
  },
  {
    name: 'text quoting a business message, from in another format',
    body: { context: { id: 'wamid.OUT1' }, text: { body: 'yes' }, type: 'text', from: '+1 (631) 555-1234' },
    message: { type: 'text', text: { body: 'yes' }, context: { from: BUSINESS, id: 'wamid.OUT1' } },
    rest: { fromInput: '+1 (631) 555-1234', quotedMessageId: 'wamid.OUT1' },
  },
  {
    name: 'image with defaults',
    body: { from: KERRY, type: 'image', image: {} },
    message: { type: 'image', image: { id: 'media-1', mime_type: 'image/jpeg', sha256: MEDIA_1_SHA } },
    rest: { mediaId: 'media-1' },
  },
  {
    name: 'image with every field',
    body: {
      from: KERRY,
      type: 'image',
      image: { caption: 'look', sha256: GIVEN_SHA.toUpperCase(), mime_type: 'image/png' },
    },
    message: { type: 'image', image: { id: 'media-1', mime_type: 'image/png', sha256: GIVEN_SHA, caption: 'look' } },
    rest: { mediaId: 'media-1' },
  },
  {
    name: 'audio',
    body: { from: KERRY, type: 'audio', audio: { filename: 'song.mp3' } },
    message: {
      type: 'audio',
      audio: { id: 'media-1', mime_type: 'audio/mpeg', sha256: MEDIA_1_SHA, filename: 'song.mp3' },
    },
    rest: { mediaId: 'media-1' },
  },
  {
    name: 'voice',
    body: { from: KERRY, type: 'voice', voice: {} },
    message: { type: 'voice', voice: { id: 'media-1', mime_type: 'audio/ogg; codecs=opus', sha256: MEDIA_1_SHA } },
    rest: { mediaId: 'media-1' },
  },
  {
    name: 'video',
    body: { from: KERRY, type: 'video', video: { mime_type: 'video/3gpp', caption: 'clip' } },
    message: { type: 'video', video: { id: 'media-1', mime_type: 'video/3gpp', sha256: MEDIA_1_SHA, caption: 'clip' } },
    rest: { mediaId: 'media-1' },
  },
  {
    name: 'document',
    body: { from: KERRY, type: 'document', document: { filename: 'invoice.pdf', caption: 'March' } },
    message: {
      type: 'document',
      document: {
        id: 'media-1',
        mime_type: 'application/pdf',
        sha256: MEDIA_1_SHA,
        caption: 'March',
        filename: 'invoice.pdf',
      },
    },
    rest: { mediaId: 'media-1' },
  },
  {
    name: 'document of any MIME type',
    body: { from: KERRY, type: 'document', document: { mime_type: 'text/csv; charset="utf-8"' } },
    message: {
      type: 'document',
      document: { id: 'media-1', mime_type: 'text/csv; charset="utf-8"', sha256: MEDIA_1_SHA },
    },
    rest: { mediaId: 'media-1' },
  },
  {
    name: 'sticker',
    body: { from: KERRY, type: 'sticker', sticker: { mime_type: 'image/webp' } },
    message: { type: 'sticker', sticker: { id: 'media-1', mime_type: 'image/webp', sha256: MEDIA_1_SHA } },
    rest: { mediaId: 'media-1' },
  },
  {
    name: 'image with its bytes in base64: type and hash come from the bytes later',
    body: { from: KERRY, type: 'image', image: { data: 'iVBORw0KGgo=', caption: 'look' } },
    message: { type: 'image', image: { id: 'media-1', caption: 'look' } },
    rest: { mediaId: 'media-1', mediaSource: { kind: 'data', bytes: Buffer.from('iVBORw0KGgo=', 'base64') } },
  },
  {
    name: 'voice by link: always Ogg Opus',
    body: { from: KERRY, type: 'voice', voice: { link: 'https://media.example.com/note.ogg' } },
    message: { type: 'voice', voice: { id: 'media-1', mime_type: 'audio/ogg; codecs=opus' } },
    rest: { mediaId: 'media-1', mediaSource: { kind: 'link', url: 'https://media.example.com/note.ogg' } },
  },
  {
    name: 'location',
    body: {
      from: KERRY,
      type: 'location',
      location: {
        latitude: 37.483307,
        longitude: -122.148981,
        name: 'Main Street Beach',
        address: 'Main Street Beach, Santa Cruz, CA',
        url: 'https://example.com',
      },
    },
    message: {
      type: 'location',
      location: {
        address: 'Main Street Beach, Santa Cruz, CA',
        latitude: 37.483307,
        longitude: -122.148981,
        name: 'Main Street Beach',
        url: 'https://example.com',
      },
    },
  },
  {
    name: 'location at the edges',
    body: { from: KERRY, type: 'location', location: { longitude: 180, latitude: -90 } },
    message: { type: 'location', location: { latitude: -90, longitude: 180 } },
  },
  {
    name: 'contacts, a full card and a minimal one (key order normalised)',
    body: {
      from: KERRY,
      type: 'contacts',
      contacts: [
        {
          urls: card.urls,
          name: card.name,
          phones: card.phones,
          org: card.org,
          emails: card.emails,
          birthday: card.birthday,
          addresses: card.addresses,
        },
        { name: { formatted_name: 'Ann' }, emails: [] },
      ],
    },
    message: { type: 'contacts', contacts: [card, { name: { formatted_name: 'Ann' }, emails: [] }] },
  },
  {
    name: 'button (template quick reply)',
    body: {
      from: KERRY,
      type: 'button',
      button: { payload: 'yes-payload', text: 'Yes' },
      context: { id: 'wamid.TEMPLATE' },
    },
    message: {
      type: 'button',
      button: { payload: 'yes-payload', text: 'Yes' },
      context: { from: BUSINESS, id: 'wamid.TEMPLATE' },
    },
    rest: { quotedMessageId: 'wamid.TEMPLATE' },
  },
  {
    name: 'interactive button_reply',
    body: {
      from: KERRY,
      type: 'interactive',
      interactive: { button_reply: { title: 'BUTTON1', id: '0' }, type: 'button_reply' },
      context: { id: 'wamid.OUT2' },
    },
    message: {
      type: 'interactive',
      interactive: { type: 'button_reply', button_reply: { id: '0', title: 'BUTTON1' } },
      context: { from: BUSINESS, id: 'wamid.OUT2' },
    },
    rest: { quotedMessageId: 'wamid.OUT2' },
  },
  {
    name: 'interactive list_reply',
    body: {
      from: KERRY,
      type: 'interactive',
      interactive: { type: 'list_reply', list_reply: { id: 'row-1', title: 'ROW1', description: 'The first row' } },
    },
    message: {
      type: 'interactive',
      interactive: { type: 'list_reply', list_reply: { id: 'row-1', title: 'ROW1', description: 'The first row' } },
    },
  },
  {
    name: 'reaction',
    body: { from: KERRY, type: 'reaction', reaction: { message_id: 'wamid.OUT3', emoji: '👍🏽' } },
    message: { type: 'reaction', reaction: { message_id: 'wamid.OUT3', emoji: '👍🏽' } },
  },
  {
    name: 'reaction removed',
    body: { from: KERRY, type: 'reaction', reaction: { emoji: '', message_id: 'wamid.OUT3' } },
    message: { type: 'reaction', reaction: { message_id: 'wamid.OUT3', emoji: '' } },
  },
  {
    name: 'system: changed number, body written for the business',
    body: { from: KERRY, type: 'system', system: { type: 'customer_changed_number', new_wa_id: '16315551235' } },
    message: { type: 'system', system: { type: 'customer_changed_number', new_wa_id: '16315551235' } },
    webhookMessage: {
      type: 'system',
      system: {
        body: `User Kerry Fisher changed from ${KERRY} to 16315551235`,
        type: 'customer_changed_number',
        new_wa_id: '16315551235',
      },
    },
  },
  {
    name: 'system: identity changed, customer defaulted to the sender',
    body: { from: KERRY, type: 'system', system: { identity: 'rD0RPh2lhRk=', type: 'customer_identity_changed' } },
    message: { type: 'system', system: { type: 'customer_identity_changed', identity: 'rD0RPh2lhRk=' } },
    webhookMessage: {
      type: 'system',
      system: {
        body: 'Your security code with Kerry Fisher changed',
        type: 'customer_identity_changed',
        identity: 'rD0RPh2lhRk=',
        customer: KERRY,
      },
    },
  },
  {
    name: 'system: body and customer given are kept',
    body: {
      from: KERRY,
      type: 'system',
      system: { type: 'customer_identity_changed', identity: 'h', customer: KERRY, body: 'Custom' },
    },
    message: {
      type: 'system',
      system: { body: 'Custom', type: 'customer_identity_changed', identity: 'h', customer: KERRY },
    },
  },
  {
    name: 'unknown',
    body: { from: KERRY, type: 'unknown' },
    message: {
      type: 'unknown',
      errors: [{ code: 501, title: 'Unknown message type', details: 'Message type is not currently supported' }],
    },
  },
];

/** deepEqual ignores key order; the webhook's must be WhatsApp's, so compare the serialised form too. */
function assertSame(actual: unknown, expected: unknown, label: string): void {
  assert.deepEqual(actual, expected, label);
  assert.equal(JSON.stringify(actual), JSON.stringify(expected), `${label}: key order`);
}

describe('validateSandboxInbound and inboundWebhook: one valid example per type', () => {
  for (const c of valid) {
    it(c.name, () => {
      const inbound = validateSandboxInbound(c.body, options());
      const type = c.body.type as SandboxInbound['type'];
      const expected: SandboxInbound = {
        fromInput: KERRY,
        profileName: null,
        type,
        message: c.message,
        quotedMessageId: null,
        mediaId: null,
        mediaSource: null,
        ...c.rest,
      };
      assertSame(inbound, expected, 'validated');
      assertSame(
        inboundWebhook({ ...WEBHOOK, message: inbound.message }),
        {
          contacts: [{ profile: { name: 'Kerry Fisher' }, wa_id: KERRY }],
          messages: [{ ...HEAD, ...(c.webhookMessage ?? c.message) }],
        },
        'webhook',
      );
    });
  }

  it('gives every media message its own id, and asks for none for other types', () => {
    const opts = options();
    assert.equal(validateSandboxInbound({ from: KERRY, type: 'image', image: {} }, opts).mediaId, 'media-1');
    validateSandboxInbound({ from: KERRY, type: 'text', text: { body: 'x' } }, opts);
    assert.equal(validateSandboxInbound({ from: KERRY, type: 'sticker', sticker: {} }, opts).mediaId, 'media-2');
  });

  it('completes system messages once: completing again changes nothing', () => {
    const { message } = validateSandboxInbound(
      { from: KERRY, type: 'system', system: { type: 'customer_identity_changed', identity: 'h' } },
      options(),
    );
    const once = completeSystemMessage(message, { waId: KERRY, profileName: 'Kerry' });
    assertSame(completeSystemMessage(once, { waId: '19995550000', profileName: 'Other' }), once, 'idempotent');
    assert.deepEqual(
      message,
      { type: 'system', system: { type: 'customer_identity_changed', identity: 'h' } },
      'input not mutated',
    );
  });

  it('writes the timestamp as whole unix seconds in a string', () => {
    const { message } = validateSandboxInbound({ from: KERRY, type: 'text', text: { body: 'x' } }, options());
    assert.equal(inboundWebhook({ ...WEBHOOK, timestamp: 999, message }).messages[0].timestamp, '0');
  });
});

const text = (extra: Record<string, unknown> = {}) => ({ from: KERRY, type: 'text', text: { body: 'hi' }, ...extra });
const media = (type: string, object: unknown) => ({ from: KERRY, type, [type]: object });
const contact = (extra: Record<string, unknown>) => ({
  from: KERRY,
  type: 'contacts',
  contacts: [{ name: { formatted_name: 'A' }, ...extra }],
});
const system = (object: unknown) => ({ from: KERRY, type: 'system', system: object });
const interactive = (object: unknown) => ({ from: KERRY, type: 'interactive', interactive: object });

const invalid: [name: string, body: unknown, code: number, details: RegExp][] = [
  // The envelope.
  ['no body', undefined, 1008, /needs a JSON body/],
  ['an array body', [], 1009, /^the body must be a JSON object$/],
  ['no type', { from: KERRY, text: { body: 'hi' } }, 1008, /^missing required parameter type$/],
  ['unknown type', { ...text(), type: 'order' }, 1009, /^type must be one of "text", .*"unknown"$/],
  ['no from', { type: 'text', text: { body: 'hi' } }, 1008, /^missing required parameter from$/],
  ['from as a number', text({ from: 16315551234 }), 1009, /^from must be a string of 1 to 64 characters$/],
  ['id given', text({ id: 'wamid.X' }), 1010, /^id is not an accepted parameter: the sandbox assigns it$/],
  [
    'timestamp given',
    text({ timestamp: '1' }),
    1010,
    /^timestamp is not an accepted parameter: the sandbox assigns it$/,
  ],
  [
    "another type's content",
    text({ image: {} }),
    1010,
    /^image is not an accepted parameter: the message's type is text$/,
  ],
  ['an unknown field', text({ preview_url: true }), 1010, /^preview_url is not an accepted parameter$/],
  ['payload missing', { from: KERRY, type: 'text' }, 1008, /^missing required parameter text$/],
  ['payload not an object', { from: KERRY, type: 'text', text: 'hi' }, 1009, /^text must be an object$/],
  ['payload null', { from: KERRY, type: 'text', text: null }, 1009, /^text must be an object$/],
  ['profile without a name', text({ profile: {} }), 1008, /^missing required parameter profile\.name$/],
  [
    'profile name empty',
    text({ profile: { name: '' } }),
    1009,
    /^profile\.name must be a string of 1 to 256 characters$/,
  ],
  [
    'profile extra field',
    text({ profile: { name: 'K', wa_id: KERRY } }),
    1010,
    /^profile\.wa_id is not an accepted parameter$/,
  ],
  ['context without id', text({ context: {} }), 1008, /^missing required parameter context\.id$/],
  [
    'context with from',
    text({ context: { id: 'x', from: BUSINESS } }),
    1010,
    /^context\.from is not an accepted parameter: the quoted message is the business's/,
  ],
  ['context not an object', text({ context: 'wamid.X' }), 1009, /^context must be an object$/],
  // text
  [
    'text body empty',
    { from: KERRY, type: 'text', text: { body: '' } },
    1009,
    /^text\.body must be a string of 1 to 4096 characters$/,
  ],
  [
    'text body too long',
    { from: KERRY, type: 'text', text: { body: 'x'.repeat(4097) } },
    1009,
    /^text\.body must be a string of 1 to 4096/,
  ],
  ['text body missing', { from: KERRY, type: 'text', text: {} }, 1008, /^missing required parameter text\.body$/],
  [
    'text extra field',
    { from: KERRY, type: 'text', text: { body: 'x', preview_url: true } },
    1010,
    /^text\.preview_url is not an accepted parameter$/,
  ],
  // media
  [
    'media id given',
    media('image', { id: 'x' }),
    1010,
    /^image\.id is not an accepted parameter: the sandbox assigns the media id$/,
  ],
  ['media link not a URL', media('video', { link: 'ftp://x' }), 1009, /^video\.link must be an http or https URL$/],
  [
    'media data not base64',
    media('image', { data: 'not base64!' }),
    1009,
    /^image\.data must be the file's bytes in base64$/,
  ],
  [
    'media data and link',
    media('image', { data: 'AAAA', link: 'https://x' }),
    1010,
    /^image\.link is not an accepted parameter: image\.data already carries the file$/,
  ],
  [
    'sha256 with bytes',
    media('image', { data: 'AAAA', sha256: 'ab'.repeat(32) }),
    1010,
    /^image\.sha256 is not an accepted parameter: the sandbox computes it from the bytes$/,
  ],
  [
    'bytes of a type WhatsApp does not take',
    media('image', { data: 'AAAA', mime_type: 'image/gif' }),
    1009,
    /^image\.mime_type must be one of image\/jpeg, image\/png for image files$/,
  ],
  [
    'caption on audio',
    media('audio', { caption: 'x' }),
    1010,
    /^audio\.caption is not an accepted parameter: audio messages carry no caption$/,
  ],
  [
    'caption on sticker',
    media('sticker', { caption: 'x' }),
    1010,
    /^sticker\.caption is not an accepted parameter: sticker messages carry no caption$/,
  ],
  [
    'filename on image',
    media('image', { filename: 'a.jpg' }),
    1010,
    /^image\.filename is not an accepted parameter: only document and audio/,
  ],
  [
    'image with a video type',
    media('image', { mime_type: 'video/mp4' }),
    1009,
    /^image\.mime_type must be an image\/\* type for image messages$/,
  ],
  [
    'voice with an image type',
    media('voice', { mime_type: 'image/png' }),
    1009,
    /^voice\.mime_type must be an audio\/\* type/,
  ],
  [
    'video with an audio type',
    media('video', { mime_type: 'audio/mp4' }),
    1009,
    /^video\.mime_type must be a video\/\* type/,
  ],
  [
    'sticker in PNG',
    media('sticker', { mime_type: 'image/png' }),
    1009,
    /^sticker\.mime_type must be image\/webp for sticker messages$/,
  ],
  [
    'not a MIME type',
    media('document', { mime_type: 'pdf' }),
    1009,
    /^document\.mime_type must be a MIME type such as image\/jpeg$/,
  ],
  [
    'sha256 not hex',
    media('image', { sha256: 'xyz' }),
    1009,
    /^image\.sha256 must be the file's SHA-256 as 64 hex digits$/,
  ],
  [
    'caption too long',
    media('image', { caption: 'x'.repeat(1025) }),
    1009,
    /^image\.caption must be a string of 1 to 1024 characters$/,
  ],
  ['caption null', media('image', { caption: null }), 1009, /^image\.caption must be a string/],
  // location
  [
    'latitude missing',
    { from: KERRY, type: 'location', location: { longitude: 1 } },
    1008,
    /^missing required parameter location\.latitude$/,
  ],
  [
    'latitude out of range',
    { from: KERRY, type: 'location', location: { latitude: 91, longitude: 1 } },
    1009,
    /^location\.latitude must be a number from -90 to 90$/,
  ],
  [
    'longitude as a string',
    { from: KERRY, type: 'location', location: { latitude: 1, longitude: '2' } },
    1009,
    /^location\.longitude must be a number from -180 to 180$/,
  ],
  [
    'location extra field',
    { from: KERRY, type: 'location', location: { latitude: 1, longitude: 2, zoom: 3 } },
    1010,
    /^location\.zoom is not an accepted parameter$/,
  ],
  // contacts
  ['contacts empty', { from: KERRY, type: 'contacts', contacts: [] }, 1009, /^contacts must be a non-empty array$/],
  [
    'contacts not an array',
    { from: KERRY, type: 'contacts', contacts: { name: { formatted_name: 'A' } } },
    1009,
    /^contacts must be a non-empty array$/,
  ],
  [
    'contact without name',
    { from: KERRY, type: 'contacts', contacts: [{ phones: [] }] },
    1008,
    /^missing required parameter contacts\[0\]\.name$/,
  ],
  [
    'contact without formatted_name',
    { from: KERRY, type: 'contacts', contacts: [{ name: { first_name: 'A' } }] },
    1008,
    /^missing required parameter contacts\[0\]\.name\.formatted_name$/,
  ],
  [
    'contact phone type',
    contact({ phones: [{ phone: '1', type: 'MOBILE' }] }),
    1009,
    /^contacts\[0\]\.phones\[0\]\.type must be one of "CELL", "MAIN", "IPHONE", "HOME", "WORK"$/,
  ],
  [
    'contact phone wa_id',
    contact({ phones: [{ phone: '1', wa_id: '+1 631' }] }),
    1009,
    /^contacts\[0\]\.phones\[0\]\.wa_id must be a wa_id/,
  ],
  [
    'contact birthday format',
    contact({ birthday: '02/29/1980' }),
    1009,
    /^contacts\[0\]\.birthday must be a date as YYYY-MM-DD$/,
  ],
  [
    'contact birthday not a date',
    contact({ birthday: '1981-02-29' }),
    1009,
    /^contacts\[0\]\.birthday must be a date as YYYY-MM-DD$/,
  ],
  [
    'contact email',
    contact({ emails: [{ email: 'nope' }] }),
    1009,
    /^contacts\[0\]\.emails\[0\]\.email must be an email address$/,
  ],
  [
    'contact address type',
    contact({ addresses: [{ type: 'OTHER' }] }),
    1009,
    /^contacts\[0\]\.addresses\[0\]\.type must be one of "HOME", "WORK"$/,
  ],
  [
    'contact country code',
    contact({ addresses: [{ country_code: 'USA' }] }),
    1009,
    /^contacts\[0\]\.addresses\[0\]\.country_code must be a two-letter/,
  ],
  [
    'contact org extra',
    contact({ org: { company: 'A', ceo: 'B' } }),
    1010,
    /^contacts\[0\]\.org\.ceo is not an accepted parameter$/,
  ],
  ['contact extra field', contact({ photo: 'x' }), 1010, /^contacts\[0\]\.photo is not an accepted parameter$/],
  [
    'second contact wrong',
    { from: KERRY, type: 'contacts', contacts: [{ name: { formatted_name: 'A' } }, 'B'] },
    1009,
    /^contacts\[1\] must be an object$/,
  ],
  // button
  [
    'button without context',
    { from: KERRY, type: 'button', button: { payload: 'p', text: 't' } },
    1008,
    /^missing required parameter context: a quick-reply button tap answers a business message/,
  ],
  [
    'button without payload',
    { from: KERRY, type: 'button', button: { text: 't' }, context: { id: 'x' } },
    1008,
    /^missing required parameter button\.payload$/,
  ],
  [
    'button text not a string',
    { from: KERRY, type: 'button', button: { payload: 'p', text: 1 }, context: { id: 'x' } },
    1009,
    /^button\.text must be a non-empty string$/,
  ],
  // interactive
  [
    'interactive without type',
    interactive({ button_reply: { id: '0', title: 'B' } }),
    1008,
    /^missing required parameter interactive\.type$/,
  ],
  [
    'interactive type',
    interactive({ type: 'button', button_reply: { id: '0', title: 'B' } }),
    1009,
    /^interactive\.type must be one of "button_reply", "list_reply"$/,
  ],
  [
    'interactive reply missing',
    interactive({ type: 'list_reply' }),
    1008,
    /^missing required parameter interactive\.list_reply$/,
  ],
  [
    'interactive other reply',
    interactive({ type: 'button_reply', button_reply: { id: '0', title: 'B' }, list_reply: {} }),
    1010,
    /^interactive\.list_reply is not an accepted parameter: interactive\.type is button_reply$/,
  ],
  [
    'button reply title too long',
    interactive({ type: 'button_reply', button_reply: { id: '0', title: 'x'.repeat(21) } }),
    1009,
    /^interactive\.button_reply\.title must be a string of 1 to 20 characters$/,
  ],
  [
    'button reply description',
    interactive({ type: 'button_reply', button_reply: { id: '0', title: 'B', description: 'd' } }),
    1010,
    /^interactive\.button_reply\.description is not an accepted parameter$/,
  ],
  [
    'list reply description too long',
    interactive({ type: 'list_reply', list_reply: { id: '0', title: 'R', description: 'x'.repeat(73) } }),
    1009,
    /^interactive\.list_reply\.description must be a string of 1 to 72/,
  ],
  [
    'list reply without id',
    interactive({ type: 'list_reply', list_reply: { title: 'R' } }),
    1008,
    /^missing required parameter interactive\.list_reply\.id$/,
  ],
  // reaction
  [
    'reaction without message_id',
    { from: KERRY, type: 'reaction', reaction: { emoji: '👍' } },
    1008,
    /^missing required parameter reaction\.message_id$/,
  ],
  [
    'reaction without emoji',
    { from: KERRY, type: 'reaction', reaction: { message_id: 'x' } },
    1008,
    /^missing required parameter reaction\.emoji$/,
  ],
  [
    'reaction with a word',
    { from: KERRY, type: 'reaction', reaction: { message_id: 'x', emoji: 'ok' } },
    1009,
    /^reaction\.emoji must be one emoji, or "" to remove the reaction$/,
  ],
  [
    'reaction with two emoji',
    { from: KERRY, type: 'reaction', reaction: { message_id: 'x', emoji: '👍👍' } },
    1009,
    /^reaction\.emoji must be one emoji/,
  ],
  // system
  ['system without type', system({ new_wa_id: '16315551235' }), 1008, /^missing required parameter system\.type$/],
  [
    'system type',
    system({ type: 'group_created' }),
    1009,
    /^system\.type must be one of "customer_changed_number", "customer_identity_changed"$/,
  ],
  [
    'changed number without new_wa_id',
    system({ type: 'customer_changed_number' }),
    1008,
    /^missing required parameter system\.new_wa_id$/,
  ],
  [
    'new_wa_id in phone format',
    system({ type: 'customer_changed_number', new_wa_id: '+1 631 555 1235' }),
    1009,
    /^system\.new_wa_id must be a wa_id/,
  ],
  [
    'changed number with identity',
    system({ type: 'customer_changed_number', new_wa_id: '16315551235', identity: 'h' }),
    1010,
    /^system\.identity is not an accepted parameter: a customer_changed_number message carries new_wa_id$/,
  ],
  [
    'identity changed without identity',
    system({ type: 'customer_identity_changed' }),
    1008,
    /^missing required parameter system\.identity$/,
  ],
  [
    'identity changed with new_wa_id',
    system({ type: 'customer_identity_changed', identity: 'h', new_wa_id: '1' }),
    1010,
    /^system\.new_wa_id is not an accepted parameter: a customer_identity_changed message carries identity and customer$/,
  ],
  [
    'system extra field',
    system({ type: 'customer_identity_changed', identity: 'h', users: [] }),
    1010,
    /^system\.users is not an accepted parameter$/,
  ],
  // unknown
  [
    'unknown with content',
    { from: KERRY, type: 'unknown', unknown: {} },
    1010,
    /^unknown is not an accepted parameter: an unknown message has no content$/,
  ],
  [
    'unknown with errors',
    { from: KERRY, type: 'unknown', errors: [] },
    1010,
    /^errors is not an accepted parameter: the sandbox writes the 501 error/,
  ],
  // Own properties only.
  [
    'a prototype key',
    JSON.parse('{"from":"1","type":"text","text":{"body":"x"},"__proto__":{}}'),
    1010,
    /^__proto__ is not an accepted parameter$/,
  ],
];

describe('validateSandboxInbound refuses', () => {
  for (const [name, body, code, details] of invalid) {
    it(name, () => {
      assert.throws(
        () => validateSandboxInbound(body, options()),
        (error: unknown) => {
          assert.ok(error instanceof ApiError, `ApiError expected, got ${String(error)}`);
          assert.equal(error.code, code, error.details);
          assert.match(error.details ?? '', details);
          return true;
        },
      );
    });
  }
});
