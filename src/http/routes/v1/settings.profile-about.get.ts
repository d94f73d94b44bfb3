// GET /v1/settings/profile/about — the About text (docs/api/profile.md#read-the-about-text); "" when none was ever set.
import type { FastifyInstance } from 'fastify';
import type { RouteDeps } from '../deps.js';
import { aboutResponse } from './profile-schema.js';

export function registerProfileAboutGet(app: FastifyInstance, { profile }: RouteDeps): void {
  app.get('/v1/settings/profile/about', {
    config: { access: 'admin' },
    schema: {
      summary: 'Get the About text',
      response: { 200: aboutResponse },
    },
    handler: async () => ({ settings: { profile: { about: { text: await profile.getAbout() } } } }),
  });
}
