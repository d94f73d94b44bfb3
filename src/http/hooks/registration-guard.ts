// Calls that need the WhatsApp network answer 503 / 1011 Service not ready while the business number is not registered
// (docs/api/account-and-registration.md#registration-states; on cloud, Meta's "not registered" codes are 1011 the same
// way: docs/api/cloud-bridge.md#errors). Routes opt in with `config.needsRegistration`; the gateway's status is read
// from memory, so the check costs nothing.
import type { FastifyInstance } from 'fastify';
import { ApiError } from '../../errors.js';
import type { Gateway } from '../../modes/gateway.js';
import { routeConfig } from '../route-config.js';

// Registering takes a person and a phone: a client has nothing to gain from retrying sooner than a minute.
const RETRY_AFTER_SECONDS = 60;

export function registerRegistrationGuard(app: FastifyInstance, gateway: Pick<Gateway, 'status'>): void {
  app.addHook('onRequest', (request, _reply, done) => {
    if (!routeConfig(request).needsRegistration || gateway.status() !== 'unregistered') return done();
    done(
      new ApiError(
        'serviceNotReady',
        'the business number is not registered: POST /v1/account, then POST /v1/account/verify',
        RETRY_AFTER_SECONDS,
      ),
    );
  });
}
