// GET /v1/settings/application — the settings in force (reference §5.1), the webhook secret never among them.
import type { FastifyInstance } from 'fastify';
import { withResponseExample } from '../../schemas.js';
import type { RouteDeps } from '../deps.js';
import { applicationResponse, applicationView } from './settings-schema.js';

// A fresh sandbox node's settings once the README's walk-through has pointed the webhooks at its receiver.
const APPLICATION_EXAMPLE = {
  settings: {
    application: {
      callback_backoff_delay_ms: 3000,
      max_callback_backoff_delay_ms: 900000,
      callback_persist: true,
      pass_through: false,
      sent_status: false,
      heartbeat_interval: 5,
      unhealthy_interval: 30,
      notify_user_change_number: true,
      show_security_notifications: true,
      verbose_logging: false,
      log_level: 'info',
      garbagecollector_enable: { media: false, messages: true },
      media: { auto_download: ['image', 'video', 'voice', 'sticker', 'audio', 'document'] },
      wa_id: '16315550000',
      webhooks: { url: 'http://127.0.0.1:8080/', max_concurrent_requests: 6, message: { sent: false, delivered: true, read: true }, secret_set: false },
    },
  },
};

export function registerSettingsApplicationGet(app: FastifyInstance, { settings }: RouteDeps): void {
  app.get('/v1/settings/application', {
    config: { access: 'admin' },
    schema: {
      summary: 'Get the application settings',
      description: 'The webhook secret is never shown: `webhooks.secret_set` says whether one is set.',
      response: { 200: withResponseExample(applicationResponse, APPLICATION_EXAMPLE) },
    },
    handler: async () => {
      // Re-read first: an admin behind a load balancer sees a change made through another node at once, not after
      // this node's next refresh. The webhook hot path keeps reading memory.
      await settings.refresh();
      return applicationView(settings.current());
    },
  });
}
