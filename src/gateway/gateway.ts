// The one seam between the API and the WhatsApp network. Two back ends live behind it: `sandbox` (a simulated
// network whose state is kept in OpenPrem's own database) and `cloud` (Meta's Cloud API). The API layer never
// knows which one it talks to.
//
// Growth plan, so later work adds members instead of reshaping these: outbound sends are handed over by the
// durable outbox (`send(message)` returning the network's acceptance or an async failure code), media goes
// through `uploadMedia`/`fetchMedia`, and inbound events (messages, statuses) are pushed into a `GatewayEvents`
// sink given to the gateway's factory, which writes them and their webhooks in one transaction.
import type { WaId } from '../lib/phone.js';

/** As /v1/health reports it. */
export type GatewayStatus = 'connected' | 'connecting' | 'disconnected' | 'uninitialized' | 'unregistered';

export type ContactPresence = 'on_whatsapp' | 'not_on_whatsapp';

export interface Gateway {
  readonly kind: 'sandbox' | 'cloud';

  /** The connection state to the network. */
  status(): GatewayStatus;

  /**
   * Whether each wa_id is a WhatsApp user. Every requested id is in the answer.
   * Rejects with GatewayUnavailableError when the network cannot answer now.
   */
  lookupContacts(waIds: readonly WaId[]): Promise<Map<WaId, ContactPresence>>;

  close(): Promise<void>;
}

/** The network could not be reached or refused to answer; the caller decides whether to retry. */
export class GatewayUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GatewayUnavailableError';
  }
}
