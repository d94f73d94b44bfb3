// The content objects of the inbound message types that carry no file (docs/api/webhooks.md#inbound-messages), each
// validated completely and rebuilt with the key order WhatsApp's webhooks use.
import {
  child,
  compact,
  has,
  field,
  invalid,
  missing,
  optionalString,
  readObject,
  requiredEnum,
  requiredNumber,
  requiredString,
  unexpected,
  type JsonObject,
} from './fields.js';

/** The limit on a text body (docs/api/messages.md#text), in both directions. */
const TEXT_BODY_MAX = 4096;

export function readText(value: unknown): JsonObject {
  const text = readObject(value, 'text', ['body']);
  return { body: requiredString(text, 'text', 'body', { max: TEXT_BODY_MAX }) };
}

export function readLocation(value: unknown): JsonObject {
  const path = 'location';
  const location = readObject(value, path, ['latitude', 'longitude', 'name', 'address', 'url']);
  const latitude = requiredNumber(location, path, 'latitude', -90, 90);
  const longitude = requiredNumber(location, path, 'longitude', -180, 180);
  // The key order of docs/api/webhooks.md#inbound-messages, which is alphabetical as in WhatsApp's samples.
  return compact({
    address: optionalString(location, path, 'address'),
    latitude,
    longitude,
    name: optionalString(location, path, 'name'),
    url: optionalString(location, path, 'url'),
  });
}

/** A quick-reply button tap on a template: what the button said and the payload the business gave it. */
export function readButton(value: unknown): JsonObject {
  const button = readObject(value, 'button', ['payload', 'text']);
  return { payload: requiredString(button, 'button', 'payload'), text: requiredString(button, 'button', 'text') };
}

const REPLY_TYPES = ['button_reply', 'list_reply'] as const;

// Limits of the interactive messages the replies answer (docs/api/messages.md#interactive: button title 20, row
// title 24, row description 72; ids: Cloud's 256 for buttons and 200 for rows, the old API's documentation gives
// none). A customer can only tap what the business sent, so a reply outside them could never happen.
const LIMITS = {
  button_reply: { id: 256, title: 20 },
  list_reply: { id: 200, title: 24 },
} as const;
const ROW_DESCRIPTION_MAX = 72;

export function readInteractive(value: unknown): JsonObject {
  const path = 'interactive';
  const interactive = readObject(value, path, ['type', ...REPLY_TYPES]);
  const kind = requiredEnum(interactive, path, 'type', REPLY_TYPES);
  const other = kind === 'button_reply' ? 'list_reply' : 'button_reply';
  if (has(interactive, other)) throw unexpected(child(path, other), `interactive.type is ${kind}`);
  if (!has(interactive, kind)) throw missing(child(path, kind));
  const at = child(path, kind);
  const reply = readObject(
    field(interactive, kind),
    at,
    kind === 'list_reply' ? ['id', 'title', 'description'] : ['id', 'title'],
  );
  return {
    type: kind,
    [kind]: compact({
      id: requiredString(reply, at, 'id', { max: LIMITS[kind].id }),
      title: requiredString(reply, at, 'title', { max: LIMITS[kind].title }),
      description:
        kind === 'list_reply' ? optionalString(reply, at, 'description', { max: ROW_DESCRIPTION_MAX }) : undefined,
    }),
  };
}

/** A reaction to a message; the empty emoji takes the customer's reaction back (Cloud's convention). */
export function readReaction(value: unknown): JsonObject {
  const reaction = readObject(value, 'reaction', ['message_id', 'emoji']);
  const messageId = requiredString(reaction, 'reaction', 'message_id');
  const emoji = requiredString(reaction, 'reaction', 'emoji', { min: 0 });
  if (emoji !== '' && !isOneEmoji(emoji)) throw invalid('reaction.emoji', 'one emoji, or "" to remove the reaction');
  return { message_id: messageId, emoji };
}

const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });
// Pictographs, flags (regional indicator pairs) and keycaps (1️⃣): every emoji has one of them; letters and digits
// alone do not.
const EMOJI = /\p{Extended_Pictographic}|\p{Regional_Indicator}|\u20E3/u;

/** One user-perceived character that is an emoji: 👍, ❤️, 👍🏽, 👨‍👩‍👧, 🇧🇷, 1️⃣. */
function isOneEmoji(text: string): boolean {
  let count = 0;
  for (const _ of graphemes.segment(text)) if (++count > 1) return false;
  return EMOJI.test(text);
}
