import { KIND_TYPES } from '../../../services/media/media-rules.js';

/** Path parameter `id` of /v1/media/{id}: media ids are UUIDs, but any id is looked up (unknown ones are 404). */
export const mediaParams = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'string', minLength: 1, maxLength: 128 } },
} as const;

/**
 * The content types of a media file, for the OpenAPI document: every type of the image, sticker, audio and video
 * kinds, then documents, which may be of any type (a PDF, octet-stream, or anything else: `*\/*`).
 */
export const MEDIA_CONTENT_TYPES: readonly string[] = [
  ...new Set(Object.values(KIND_TYPES).flatMap((types) => types ?? [])),
  'application/pdf',
  'application/octet-stream',
  '*/*',
];
