// DELETE /v1/settings/profile/photo — removes the photo (docs/api/profile.md#remove-the-photo); removing none is not an
// error.
import type { FastifyInstance } from 'fastify';
import { unwrap } from '../../../lib/result.js';
import { emptyEnvelope } from '../../schemas.js';
import type { RouteDeps } from '../deps.js';
import { PHOTO_URL } from './profile-schema.js';

export function registerProfilePhotoDelete(app: FastifyInstance, { profile }: RouteDeps): void {
  app.delete(PHOTO_URL, {
    config: { access: 'admin', audit: { event: 'profile photo deleted' } },
    schema: {
      summary: 'Delete the profile photo',
      response: { 200: emptyEnvelope },
    },
    handler: async () => {
      unwrap(await profile.photo.delete());
      return {};
    },
  });
}
