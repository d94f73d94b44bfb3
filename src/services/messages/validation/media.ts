// Media objects (docs/api/messages.md#media-messages): image, audio, video, document, sticker by uploaded `id` or by
// `link`. The same shape is used by interactive media headers (docs/api/messages.md#interactive) and template media
// parameters (docs/api/messages.md#templates).
import { has, invalid, missing, type Findings, type JsonObject, type PayloadFamily } from './family.js';
import { named, object, string, text, type ErrorOverrides, type Schema } from './schema.js';

const MEDIA_KINDS = ['image', 'audio', 'video', 'document', 'sticker'] as const;
export type MediaKind = (typeof MEDIA_KINDS)[number];

const CAPTION_MAX = 1024;
const FILENAME_MAX = 240;
/** Links beyond this are refused rather than stored: 2048 is what browsers and CDNs reliably carry. */
const LINK_MAX = 2048;

const CAPTIONED: readonly MediaKind[] = ['image', 'video', 'document'];
// http(s), a host, no white space. Not a full URL parse: the link is fetched later, and a link that does not load
// fails the message asynchronously, as on the old API (docs/api/messages.md#media-messages).
const LINK = '^[Hh][Tt][Tt][Pp][Ss]?://[^\\s/?#]+\\S*$';

export function mediaSchema(kind: MediaKind): Schema {
  return named(`media/${kind}`, mediaObject(kind));
}

function mediaObject(kind: MediaKind): Schema {
  const properties: Record<string, Schema> = {
    id: text(),
    link: string(1, LINK_MAX, {
      pattern: LINK,
      'x-errors': { pattern: { details: '{path} must be an http or https URL' } },
    }),
    provider: object({ name: text() }, ['name']),
  };
  if (CAPTIONED.includes(kind)) properties.caption = string(0, CAPTION_MAX);
  if (kind === 'document') properties.filename = string(0, FILENAME_MAX);
  const hints: ErrorOverrides = {};
  if (!CAPTIONED.includes(kind))
    hints['additionalProperties:caption'] = {
      details: `{path} is not accepted: only image, video and document take a caption`,
    };
  if (kind !== 'document')
    hints['additionalProperties:filename'] = { details: `{path} is not accepted: only a document takes a filename` };
  return object(properties, [], { 'x-errors': hints });
}

/**
 * Exactly one of `id` and `link`; the id joins the ones the caller checks exist (once each). `at` names the media
 * object, and is only called for an error (no path strings are built on every send).
 */
export function checkMedia(media: JsonObject, at: () => string, findings: Findings): void {
  const byId = has(media, 'id');
  if (byId === has(media, 'link')) {
    const path = at();
    if (byId) throw invalid(path, 'have either id or link, not both');
    throw missing(`${path}.id or ${path}.link`);
  }
  if (byId && !findings.mediaIds.includes(media.id as string)) findings.mediaIds.push(media.id as string);
}

export function mediaFamily(kind: MediaKind): PayloadFamily {
  return {
    schema: mediaSchema(kind),
    check: (payload, findings) => checkMedia(payload as JsonObject, () => kind, findings),
  };
}
