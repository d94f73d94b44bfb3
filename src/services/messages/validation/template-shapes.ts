// Template sends as Meta's own Postman collection (v2.37) writes them, rewritten into the documented shape
// (docs/api/messages.md#templates) before the schema runs, so that the validator, the stored message and the Cloud
// translation all see one shape:
//   - `parameters` given as one parameter object instead of an array of them → that object in an array;
//   - a media parameter with its media fields beside `type` ({"type": "image", "link": "https://…"}) instead of
//     inside the object named by the type → {"type": "image", "image": {"link": "https://…"}}.
// Only these exact shapes are rewritten, and only where their meaning is unambiguous: a media parameter that also
// has the `image` (…) object is left alone, and the schema then names the stray field (1010).
import type { JsonObject } from './family.js';

const MEDIA_PARAMETER_TYPES = new Set(['image', 'video', 'document']);
/** The fields of a media object (media.ts): what may stand beside `type` in the collection's form. */
const MEDIA_FIELDS = ['id', 'link', 'caption', 'filename', 'provider'] as const;

/** Rewrites the collection's shapes in place; anything else (even malformed) is left for the schema to judge. */
export function normaliseTemplateShapes(template: unknown): void {
  if (!isObject(template) || !Array.isArray(template.components)) return;
  for (const component of template.components as unknown[]) {
    if (!isObject(component)) continue;
    if (isObject(component.parameters)) component.parameters = [component.parameters];
    if (!Array.isArray(component.parameters)) continue;
    for (const parameter of component.parameters as unknown[]) {
      if (isObject(parameter)) nestMediaFields(parameter);
    }
  }
}

function nestMediaFields(parameter: JsonObject): void {
  const type = parameter.type;
  if (typeof type !== 'string' || !MEDIA_PARAMETER_TYPES.has(type) || Object.hasOwn(parameter, type)) return;
  const media: JsonObject = {};
  for (const field of MEDIA_FIELDS) {
    if (!Object.hasOwn(parameter, field)) continue;
    media[field] = parameter[field];
    delete parameter[field];
  }
  if (Object.keys(media).length > 0) parameter[type] = media;
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
