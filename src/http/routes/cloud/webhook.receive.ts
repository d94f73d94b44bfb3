// POST /cloud/webhook — Meta's webhooks (docs/api/cloud-bridge.md#receive-a-webhook). The signature stands in for
// authentication, and it covers the bytes as sent, so the body arrives as a Buffer (scope.ts), never parsed before the
// check. 200 once the webhook is stored durably (the durable-replies hook); 403 with nothing stored when the signature
// is missing or wrong; 400 when a signed body is not JSON. Registered inside the scope of scope.ts.
import type { FastifyInstance } from 'fastify';
import type { CloudWebhookIntake } from '../../../modes/cloud/inbound/intake.js';
import { emptyEnvelope } from '../../schemas.js';

// 3 MB: Meta documents webhook payloads of up to 3 MB (a busy number's batched statuses); one message is ~1 KB.
export const CLOUD_WEBHOOK_BODY_LIMIT = 3 * 1024 * 1024;

export function registerCloudWebhookReceive(scope: FastifyInstance, intake: CloudWebhookIntake): void {
  scope.post<{ Body: Buffer | undefined }>('/cloud/webhook', {
    config: { access: 'public', limit: 'exempt', apiStatus: 'experimental' },
    bodyLimit: CLOUD_WEBHOOK_BODY_LIMIT,
    schema: {
      summary: "Receive Meta's webhooks",
      description:
        'Called by Meta: the X-Hub-Signature-256 HMAC of the body with WA_CLOUD_APP_SECRET stands in for authentication (403 / 1005 when missing or wrong). 200 once the webhook is stored.',
      consumes: ['application/json'],
      errorStatuses: [403],
      response: { 200: emptyEnvelope },
    },
    handler: async (request) => {
      await intake.receive(request.body, request.headers['x-hub-signature-256']);
      return {};
    },
  });
}
