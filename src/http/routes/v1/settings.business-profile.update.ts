// POST /v1/settings/business/profile — a partial update: fields absent from the body stay
// (docs/api/profile.md#change-the-business-profile, since v2.23). "" clears a text field and [] the websites; the
// industry (vertical) cannot be emptied once set.
import type { FastifyInstance } from 'fastify';
import { unwrap } from '../../../lib/result.js';
import type { BusinessProfilePatch } from '../../../services/profile.js';
import { emptyEnvelope } from '../../schemas.js';
import type { RouteDeps } from '../deps.js';
import { businessBodySchema } from './profile-schema.js';

export function registerBusinessProfileUpdate(app: FastifyInstance, { profile }: RouteDeps): void {
  app.post<{ Body: BusinessProfilePatch }>('/v1/settings/business/profile', {
    config: { access: 'admin', audit: { event: 'business profile changed', fields: true } },
    schema: {
      summary: 'Change the business profile',
      description: 'Only the fields sent change.',
      body: businessBodySchema,
      response: { 200: emptyEnvelope },
    },
    handler: async (request) => {
      unwrap(await profile.updateBusinessProfile(request.body));
      return {};
    },
  });
}
