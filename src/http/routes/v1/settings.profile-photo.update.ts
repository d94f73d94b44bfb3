// POST /v1/settings/profile/photo — the raw image as the body (docs/api/profile.md#set-the-photo): a JPEG or PNG by its
// bytes, at most 5 MB, at least 192×192 pixels (see src/services/profile-photo.ts). Replaces any earlier photo.
import type { FastifyInstance } from 'fastify';
import { ApiError } from '../../../errors.js';
import { unwrap } from '../../../lib/result.js';
import { emptyEnvelope } from '../../schemas.js';
import type { RouteDeps } from '../deps.js';
import { notRawImage, PHOTO_URL } from './profile-schema.js';

export function registerProfilePhotoUpdate(app: FastifyInstance, { profile }: RouteDeps): void {
  app.post<{ Body: unknown }>(PHOTO_URL, {
    config: { access: 'admin', audit: { event: 'profile photo changed' } },
    schema: {
      summary: 'Upload the profile photo',
      description:
        'The raw image as the body: a JPEG or PNG (decided by its bytes), at most 5 MB, at least 192x192 pixels (640x640 recommended).',
      consumes: ['image/jpeg', 'image/png', 'application/octet-stream'],
      response: { 200: emptyEnvelope },
    },
    handler: async (request) => {
      if (request.body === undefined)
        throw new ApiError('missingParameter', 'the body must be the photo: the raw bytes of a JPEG or PNG image');
      // A JSON body (the app's JSON parser applies here too) is not a photo.
      if (!Buffer.isBuffer(request.body)) throw notRawImage();
      unwrap(await profile.photo.set(request.body));
      return {};
    },
  });
}
