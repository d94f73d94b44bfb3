// The cloud gateway's Gateway: health and contact look-ups (the sends, media and account operations are in the
// cloud-*.ts services). Cloud has no health endpoint; /v1/health answers from a cached read of the phone number's
// own fields (docs/api/cloud-bridge.md#health), refreshed every 60 s, so /v1/health costs nothing and never waits
// on Meta.
//
//   Graph unreachable, or our token refused          → disconnected
//   platform_type NOT_APPLICABLE, or 133010 answered → unregistered (the number is not registered on Cloud)
//   status PENDING                                   → connecting
//   health_status.can_send_message BLOCKED           → disconnected
//   otherwise                                        → connected
import type { WaId } from '../../lib/phone.js';
import type { ContactPresence } from '../../services/contact-network.js';
import type { Gateway, GatewayStatus } from '../gateway.js';
import { GraphCallError, type GraphClient } from './graph-client.js';

// 60 s: a revoked token or a deregistered number shows on /v1/health within a minute (sends see it at once, as a
// translated error), at 60 Graph calls an hour per node. Meta's default management-API budget is often quoted as
// 200 calls an hour per app and WABA (not verified against Meta's current page): three nodes stay under it.
const STATUS_REFRESH_MS = 60_000;
const PHONE_NUMBER_FIELDS = 'status,quality_rating,code_verification_status,platform_type,health_status,throughput';

interface PhoneNumberFields {
  status?: string;
  quality_rating?: string;
  code_verification_status?: string;
  platform_type?: string;
  health_status?: { can_send_message?: string };
}

export interface CloudGateway extends Gateway {
  /** Reads the phone number's fields now (start-up, after a registration); never throws. */
  refresh(): Promise<GatewayStatus>;
  start(): void;
}

export interface CloudGatewayOptions {
  log: { warn(obj: object, message: string): void };
  refreshMs?: number;
}

function statusFromFields(fields: PhoneNumberFields): GatewayStatus {
  if (fields.platform_type === 'NOT_APPLICABLE') return 'unregistered';
  if (fields.status === 'PENDING') return 'connecting';
  if (fields.health_status?.can_send_message === 'BLOCKED') return 'disconnected';
  return 'connected';
}

export function createCloudGateway(
  graph: GraphClient,
  phoneNumberId: string,
  options: CloudGatewayOptions,
): CloudGateway {
  // Until Meta's fields are first read, as On-Prem's client reported itself while it started.
  let current: GatewayStatus = 'connecting';
  let timer: NodeJS.Timeout | null = null;

  async function refresh(): Promise<GatewayStatus> {
    try {
      const fields = await graph.call<PhoneNumberFields>({
        method: 'GET',
        path: `/${phoneNumberId}`,
        query: { fields: PHONE_NUMBER_FIELDS },
      });
      current = statusFromFields(fields);
    } catch (error) {
      const code = error instanceof GraphCallError ? error.cloudCode : null;
      current = code === 133010 ? 'unregistered' : 'disconnected';
      if (current === 'disconnected')
        options.log.warn(
          { reason: (error as Error).message },
          'the Cloud API phone number could not be read; health is disconnected',
        );
    }
    return current;
  }

  return {
    kind: 'cloud',
    status: () => current,
    refresh,
    start() {
      timer ??= setInterval(() => void refresh(), options.refreshMs ?? STATUS_REFRESH_MS);
      timer.unref();
    },

    // Cloud has no look-up (docs/api/cloud-bridge.md#contacts): every parsable number is taken to be on WhatsApp;
    // one that is not fails at send time with 131026.
    async lookupContacts(waIds: readonly WaId[]): Promise<Map<WaId, ContactPresence>> {
      return new Map(waIds.map((waId) => [waId, 'on_whatsapp']));
    },

    async close() {
      if (timer) clearInterval(timer);
      timer = null;
      await graph.close();
    },
  };
}
