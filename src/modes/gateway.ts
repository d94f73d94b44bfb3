// What every mode's network answers: its connection state (/v1/health, the registration guard, the cluster's
// heartbeat) and contact look-ups (the domain's port, src/services/contact-network.ts). Sends, media, profile,
// account and inbound traffic are the mode's services (src/modes/mode.ts), not members of this interface.
import type { ContactNetwork } from '../services/contact-network.js';

/** As /v1/health reports it. */
export type GatewayStatus = 'connected' | 'connecting' | 'disconnected' | 'uninitialized' | 'unregistered';

export interface Gateway extends ContactNetwork {
  readonly kind: 'sandbox' | 'cloud';

  /** The connection state to the network. */
  status(): GatewayStatus;

  close(): Promise<void>;
}
