// /cloud/webhook, Meta's door into the cloud gateway: registered only when WA_GATEWAY=cloud (404 on the sandbox),
// in an encapsulated scope whose only body parser keeps the raw bytes, which the signature is computed over.
import type { FastifyInstance } from 'fastify';
import type { CloudWebhookIntake } from '../../../modes/cloud/inbound/intake.js';
import { refuseMethods } from '../../method-not-allowed.js';
import { CLOUD_WEBHOOK_BODY_LIMIT, registerCloudWebhookReceive } from './webhook.receive.js';
import { registerCloudWebhookVerify } from './webhook.verify.js';

export function registerCloudWebhookRoutes(app: FastifyInstance, intake: CloudWebhookIntake): void {
  void app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    // Any content type: Meta sends application/json, and the signature, not the header, vouches for the bytes.
    scope.addContentTypeParser(
      '*',
      { parseAs: 'buffer', bodyLimit: CLOUD_WEBHOOK_BODY_LIMIT },
      (_request, body, done) => done(null, body),
    );
    registerCloudWebhookVerify(scope, intake);
    registerCloudWebhookReceive(scope, intake);
    // The scope loads after the server's 405 routes are made (src/http/method-not-allowed.ts): its own, the same way.
    refuseMethods(scope, '/cloud/webhook', ['PUT', 'PATCH', 'DELETE'], ['GET', 'POST']);
  });
}
