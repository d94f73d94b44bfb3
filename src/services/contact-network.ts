// The port the contacts services ask the network through (POST /v1/contacts, the no_wait look-up worker). The
// domain owns it; each mode's gateway implements it (src/modes/gateway.ts).
import type { WaId } from '../lib/phone.js';

export type ContactPresence = 'on_whatsapp' | 'not_on_whatsapp';

export interface ContactNetwork {
  /**
   * Whether each wa_id is a WhatsApp user. Every requested id is in the answer.
   * Rejects with GatewayUnavailableError when the network cannot answer now.
   */
  lookupContacts(waIds: readonly WaId[]): Promise<Map<WaId, ContactPresence>>;
}

/** The network could not be reached or refused to answer; the caller decides whether to retry. */
export class GatewayUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GatewayUnavailableError';
  }
}
