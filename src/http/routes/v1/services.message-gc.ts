// PUT /v1/services/message/gc (and /services/message/gc) — runs the message garbage collector once, now.
//
// Decision: run it rather than answer "removed". The upgrade notes of v2.41.2 named /services/message/gc without a
// method or body, which is why it was on the removal list (legacy.removed.ts); Meta's own v2.37 collection then showed
// the call: PUT /v1/services/message/gc, no body. Its meaning is unambiguous next to the documented
// `garbagecollector_enable` switch (docs/api/settings.md#garbage-collection), which turns the automatic message
// collection off during big campaigns: collect now what the automatic collector would. So it collects messages even
// while that switch is off (the switch stops the automatic runs; this run is asked for by hand), with the same
// retention (WA_RETENTION_*_DAYS) and the same batches as the automatic runs. 200 once every batch is committed; the
// body names what went (an OpenPrem addition: the old answer was never documented). Admin only, like the settings.
import type { FastifyInstance } from 'fastify';
import { envelope } from '../../schemas.js';
import type { RouteDeps } from '../deps.js';

const count = { type: 'integer' } as const;
const gcResponse = envelope({
  gc: {
    type: 'object',
    properties: {
      messages: count,
      conversations: count,
      webhook_deliveries: count,
      cloud_webhooks: count,
      cloud_webhook_keys: count,
    },
  },
});

export function registerServicesMessageGc(app: FastifyInstance, { garbageCollector }: RouteDeps): void {
  for (const url of ['/v1/services/message/gc', '/services/message/gc']) {
    app.put(url, {
      config: { access: 'admin' },
      schema: {
        summary: 'Run the message garbage collector now',
        description:
          'Collects what the automatic runs would, messages included even while garbagecollector_enable.messages turns those runs off. Also at /services/message/gc.',
        response: { 200: gcResponse },
      },
      handler: async () => ({ gc: await garbageCollector.collectAll({ forceMessages: true }) }),
    });
  }
}
