// /v1/settings/profile/photo (docs/api/profile.md#profile-photo): the one request body of the API that is a raw image.
// Its routes share an encapsulated scope so that the image parser exists for them alone: no other route starts
// accepting image bodies, and the media upload's own parsers stay untouched.
import type { FastifyError, FastifyInstance } from 'fastify';
import { ApiError } from '../../../errors.js';
import { PHOTO_MAX_BYTES } from '../../../services/profile-photo.js';
import { refuseMethods } from '../../method-not-allowed.js';
import type { RouteDeps } from '../deps.js';
import { notRawImage, PHOTO_URL } from './profile-schema.js';
import { registerProfilePhotoDelete } from './settings.profile-photo.delete.js';
import { registerProfilePhotoGet } from './settings.profile-photo.get.js';
import { registerProfilePhotoUpdate } from './settings.profile-photo.update.js';

export function registerProfilePhotoRoutes(app: FastifyInstance, deps: RouteDeps): void {
  app.register(async (scope) => {
    // Any image/* type, or octet-stream: what the bytes are is decided by their signature, not by this header.
    // Parameters (`; charset=binary`) are allowed: the pattern is matched against the whole header.
    scope.addContentTypeParser(
      /^\s*(image\/[\w.+-]+|application\/octet-stream)\s*(;.*)?$/i,
      { parseAs: 'buffer', bodyLimit: PHOTO_MAX_BYTES },
      (_request, body, done) => {
        done(null, body);
      },
    );
    scope.setErrorHandler((error: FastifyError) => {
      // Rethrown errors go on to the app's error handler, which renders the envelope.
      if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
        throw new ApiError('bodyTooLarge', `the profile photo may be at most 5 MB (${PHOTO_MAX_BYTES} bytes)`);
      }
      if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') throw notRawImage();
      throw error;
    });
    registerProfilePhotoGet(scope, deps);
    registerProfilePhotoUpdate(scope, deps);
    registerProfilePhotoDelete(scope, deps);
    // The app's 405 catch-all is added before this scope loads, so it does not know these routes: the same answer here.
    refuseMethods(scope, PHOTO_URL, ['PUT', 'PATCH'], ['GET', 'POST', 'DELETE']);
  });
}
