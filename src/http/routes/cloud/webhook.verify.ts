// GET /cloud/webhook — Meta's subscription check (docs/api/cloud-bridge.md#the-subscription-check). Meta cannot log in,
// so the verify token stands in for the bearer token that other extensions need: 200 text/plain with hub.challenge as
// is when hub.mode is subscribe and the token matches, 403 in the envelope otherwise.
import type { FastifyInstance } from 'fastify';
import type { CloudWebhookIntake } from '../../../modes/cloud/inbound/intake.js';

interface Query {
  'hub.mode'?: string;
  'hub.verify_token'?: string;
  'hub.challenge'?: string;
}

export function registerCloudWebhookVerify(app: FastifyInstance, intake: CloudWebhookIntake): void {
  app.get<{ Querystring: Query }>('/cloud/webhook', {
    config: { access: 'public', limit: 'exempt', apiStatus: 'experimental' },
    schema: {
      summary: "Meta's webhook subscription check",
      description:
        'Called by Meta: answers hub.challenge as text when hub.mode is subscribe and hub.verify_token matches WA_CLOUD_VERIFY_TOKEN; 403 / 1005 otherwise.',
      produces: ['text/plain'],
      errorStatuses: [403],
      querystring: {
        type: 'object',
        properties: {
          'hub.mode': { type: 'string', maxLength: 64 },
          'hub.verify_token': { type: 'string', maxLength: 256 },
          // Meta's challenge is a number; echoed only once the token matched, and never as HTML.
          'hub.challenge': { type: 'string', minLength: 1, maxLength: 256, pattern: '^[A-Za-z0-9._~-]+$' },
        },
      },
    },
    handler: async (request, reply) => {
      const query = request.query;
      const challenge = intake.verifySubscription({
        mode: query['hub.mode'],
        verifyToken: query['hub.verify_token'],
        challenge: query['hub.challenge'],
      });
      return reply.type('text/plain; charset=utf-8').header('x-content-type-options', 'nosniff').send(challenge);
    },
  });
}
