// GET /v1/settings/business/profile — every field, "" or [] when not set
// (docs/api/profile.md#read-the-business-profile).
import type { FastifyInstance } from 'fastify';
import type { RouteDeps } from '../deps.js';
import { businessResponse } from './profile-schema.js';

export function registerBusinessProfileGet(app: FastifyInstance, { profile }: RouteDeps): void {
  app.get('/v1/settings/business/profile', {
    config: { access: 'admin' },
    schema: {
      summary: 'Get the business profile',
      response: { 200: businessResponse },
    },
    handler: async () => ({ settings: { business: { profile: await profile.getBusinessProfile() } } }),
  });
}
