// Text (docs/api/messages.md#text), location (docs/api/messages.md#location) and reaction
// (docs/api/messages.md#reactions) payloads.
import { invalid, type JsonObject, type PayloadFamily } from './family.js';
import { object, string, text } from './schema.js';

/**
 * Characters are counted as code points (an emoji is one, as a user counts it; a flag or a family emoji is two or
 * more), the way Ajv's maxLength counts them. Meta documented "4096 characters" without saying which.
 */
const TEXT_BODY_MAX = 4096;
const LOCATION_TEXT_MAX = 1000;

const textBody = text(TEXT_BODY_MAX, {
  'x-errors': { maxLength: { kind: 'messageTooLong', details: `{path} is longer than ${TEXT_BODY_MAX} characters` } },
});

export const textFamily: PayloadFamily = {
  schema: object({ body: textBody }, ['body'], {
    'x-errors': {
      'additionalProperties:preview_url': {
        details: '{path} is not accepted: preview_url goes at the top level of the message, next to "to"',
      },
    },
  }),
};

export const locationFamily: PayloadFamily = {
  schema: object(
    {
      latitude: { type: 'number', minimum: -90, maximum: 90 },
      longitude: { type: 'number', minimum: -180, maximum: 180 },
      name: string(0, LOCATION_TEXT_MAX),
      address: string(0, LOCATION_TEXT_MAX),
    },
    ['latitude', 'longitude'],
  ),
};

export const reactionFamily: PayloadFamily = {
  schema: object({ message_id: text(), emoji: { type: 'string' } }, ['message_id', 'emoji']),
  check(payload) {
    const emoji = (payload as JsonObject).emoji as string;
    if (emoji !== '' && !isOneEmoji(emoji))
      throw invalid('reaction.emoji', 'be one emoji, or "" to remove the reaction');
  },
};

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
const PICTOGRAPH = /\p{Extended_Pictographic}|\p{Regional_Indicator}/u;
const KEYCAP = /^[#*0-9]\uFE0F?\u20E3$/u;
/** The longest emoji (a family with skin tones, a subdivision flag) is under 32 UTF-16 units; stop longer at once. */
const EMOJI_UNITS_MAX = 32;

/** One grapheme that is a pictograph, a flag or a keycap: "👍", "👍🏽", "👩‍👩‍👧", "🇧🇷", "1️⃣"; not "a", "👍👍". */
export function isOneEmoji(value: string): boolean {
  if (value.length === 0 || value.length > EMOJI_UNITS_MAX) return false;
  const segments = graphemes.segment(value)[Symbol.iterator]();
  if (segments.next().done || !segments.next().done) return false;
  return PICTOGRAPH.test(value) || KEYCAP.test(value);
}
