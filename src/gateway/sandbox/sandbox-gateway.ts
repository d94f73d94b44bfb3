// The simulated WhatsApp network. Its state (the customer directory, later the conversations and scheduled
// receipts) lives in OpenPrem's database, so a restart resumes the simulation where it stopped.
import type { ContactPresence, Gateway, GatewayStatus } from '../gateway.js';
import type { WaId } from '../../lib/phone.js';
import type { SandboxDirectory } from './directory.js';

export function createSandboxGateway(directory: SandboxDirectory): Gateway {
  return {
    kind: 'sandbox',

    // A fresh sandbox is registered and connected, so that `npm start` is usable at once.
    status(): GatewayStatus {
      return 'connected';
    },

    async lookupContacts(waIds: readonly WaId[]): Promise<Map<WaId, ContactPresence>> {
      const customers = await directory.getMany(waIds);
      return new Map(customers.map((c) => [c.wa_id, c.on_whatsapp ? 'on_whatsapp' : 'not_on_whatsapp']));
    },

    async close() {},
  };
}
