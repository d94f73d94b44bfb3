// GET /v1/settings/profile/photo — the photo's bytes with their image type; `?format=link` answers a link to them
// instead, {"settings":{"profile":{"photo":{"link"}}}} (docs/api/profile.md#read-the-photo). The link is this
// endpoint's own absolute URL (as this request reached the server), so it needs the same admin token: On-Prem's link
// pointed at WhatsApp's public media servers, which a self-hosted server has no equivalent of. 404 / 1006 when no photo
// is set.
import type { FastifyInstance } from 'fastify';
import { ApiError } from '../../../errors.js';
import { envelope } from '../../schemas.js';
import type { RouteDeps } from '../deps.js';
import { PHOTO_URL } from './profile-schema.js';

const linkResponse = envelope({
  settings: {
    type: 'object',
    properties: {
      profile: { type: 'object', properties: { photo: { type: 'object', properties: { link: { type: 'string' } } } } },
    },
  },
});

export function registerProfilePhotoGet(app: FastifyInstance, { profile }: RouteDeps): void {
  app.get<{ Querystring: { format?: 'link' } }>(PHOTO_URL, {
    config: { access: 'admin' },
    schema: {
      summary: 'Get the profile photo',
      description:
        'The image bytes, or with `?format=link` a link to them (this same endpoint). 404 / 1006 when no photo is set.',
      produces: ['image/jpeg', 'image/png'],
      errorStatuses: [404],
      querystring: {
        type: 'object',
        additionalProperties: false,
        properties: { format: { type: 'string', enum: ['link'] } },
      },
      response: { 200: linkResponse },
    },
    handler: async (request, reply) => {
      const photo = await profile.photo.get();
      if (!photo)
        throw new ApiError('notFound', 'no profile photo is set; upload one with POST /v1/settings/profile/photo');
      if (request.query.format === 'link') {
        return { settings: { profile: { photo: { link: `${request.protocol}://${request.host}${PHOTO_URL}` } } } };
      }
      return reply.type(photo.mime_type).send(photo.bytes);
    },
  });
}
