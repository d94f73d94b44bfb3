// The simulated WhatsApp network. Its state (the customer directory, later the conversations and scheduled
// receipts) lives in OpenPrem's database, so a restart resumes the simulation where it stopped.
import type { ContactPresence } from '../../services/contact-network.js';
import type { Gateway, GatewayStatus } from '../gateway.js';
import type { WaId } from '../../lib/phone.js';
import type { SandboxDirectory } from './directory.js';

/** Where the business number stands (src/services/account.ts): the network connects a registered number only. */
export interface RegistrationState {
  connection(): 'unregistered' | 'connecting' | 'connected';
}

export function createSandboxGateway(directory: SandboxDirectory, registration: RegistrationState): Gateway {
  return {
    kind: 'sandbox',

    // A fresh sandbox is registered and connected (unless WA_SANDBOX_REGISTERED=false), so that `npm start` is
    // usable at once; a registration through /v1/account passes through `connecting` first
    // (docs/api/account-and-registration.md#registration-states).
    status(): GatewayStatus {
      return registration.connection();
    },

    async lookupContacts(waIds: readonly WaId[]): Promise<Map<WaId, ContactPresence>> {
      const customers = await directory.getMany(waIds);
      return new Map(customers.map((c) => [c.wa_id, c.on_whatsapp ? 'on_whatsapp' : 'not_on_whatsapp']));
    },

    async close() {},
  };
}
