// The two doors Meta knocks on (docs/api/cloud-bridge.md#metas-webhooks): the subscription check, answered with the
// verify token, and the webhooks, taken only with a valid signature and stored durably before Meta is told 200.
// Translation happens after the answer (worker.ts), so Meta never waits on it and never retries because of it.
import { ApiError } from '../../../errors.js';
import type { CloudWebhooksRepository } from '../../../db/repositories/cloud-webhooks.js';
import type { Clock } from '../../../lib/clock.js';
import { jsonNestsDeeperThan, tooDeepDetails } from '../../../lib/json-depth.js';
import { constantTimeEqual } from '../../../lib/secrets.js';
import type { Metrics } from '../../../metrics.js';
import { isCloudSignatureValid } from './signature.js';

export interface CloudWebhookIntakeDeps {
  repository: CloudWebhooksRepository;
  clock: Clock;
  metrics: Metrics;
  appSecret: string;
  verifyToken: string;
  /** A webhook was stored. */
  onStored(): void;
}

export interface SubscriptionCheck {
  mode?: string | undefined;
  verifyToken?: string | undefined;
  challenge?: string | undefined;
}

export function createCloudWebhookIntake(deps: CloudWebhookIntakeDeps) {
  return {
    /** Answers the challenge to echo, or refuses (403) a check that is not Meta's. */
    verifySubscription(check: SubscriptionCheck): string {
      if (check.mode !== 'subscribe') throw new ApiError('forbidden', 'hub.mode must be subscribe');
      if (check.verifyToken === undefined || !constantTimeEqual(check.verifyToken, deps.verifyToken)) {
        throw new ApiError('forbidden', 'hub.verify_token does not match WA_CLOUD_VERIFY_TOKEN');
      }
      if (check.challenge === undefined)
        throw new ApiError('missingParameter', 'missing required parameter hub.challenge');
      return check.challenge;
    },

    /**
     * Stores a signed webhook. A body that is not JSON is refused (400) and not stored, even correctly signed: it
     * cannot be translated, and Meta retrying it costs one refusal each time until it gives up (7 days).
     */
    async receive(raw: Buffer | undefined, signature: string | string[] | undefined): Promise<void> {
      const body = raw ?? Buffer.alloc(0);
      if (!isCloudSignatureValid(body, signature, deps.appSecret)) {
        deps.metrics.cloudWebhooksReceived.inc({ result: 'bad_signature' });
        throw new ApiError(
          'forbidden',
          'X-Hub-Signature-256 is missing or is not the HMAC of this body with the app secret',
        );
      }
      const text = body.toString('utf8');
      try {
        JSON.parse(text);
      } catch (error) {
        deps.metrics.cloudWebhooksReceived.inc({ result: 'malformed' });
        throw new ApiError('invalidRequest', `the body is not valid JSON: ${(error as Error).message}`);
      }
      // No webhook of Meta's nests deeper than ~8 levels; a deeper one would only reach the translator's recursion.
      if (jsonNestsDeeperThan(text)) {
        deps.metrics.cloudWebhooksReceived.inc({ result: 'malformed' });
        throw new ApiError('invalidRequest', `the body is not accepted: ${tooDeepDetails}`);
      }
      await deps.repository.insert(text, deps.clock.now());
      deps.metrics.cloudWebhooksReceived.inc({ result: 'stored' });
      deps.onStored();
    },
  };
}

export type CloudWebhookIntake = ReturnType<typeof createCloudWebhookIntake>;
