// PATCH /v1/settings/profile/about {"text"} — 1 to 139 characters (docs/api/profile.md#change-the-about-text); answers
// {"meta"} only.
import type { FastifyInstance } from 'fastify';
import { unwrap } from '../../../lib/result.js';
import { emptyEnvelope } from '../../schemas.js';
import type { RouteDeps } from '../deps.js';
import { aboutBodySchema } from './profile-schema.js';

export function registerProfileAboutUpdate(app: FastifyInstance, { profile }: RouteDeps): void {
  app.patch<{ Body: { text: string } }>('/v1/settings/profile/about', {
    config: { access: 'admin', audit: { event: 'profile about changed' } },
    schema: {
      summary: 'Change the About text',
      description: '1 to 139 characters.',
      body: aboutBodySchema,
      response: { 200: emptyEnvelope },
    },
    handler: async (request) => {
      unwrap(await profile.setAbout(request.body.text));
      return {};
    },
  });
}
