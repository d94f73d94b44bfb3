// What the simulated network does with one send, decided the way WhatsApp did: a number that is not on WhatsApp
// or a customer set to fail gets a failed status; templates are checked against the registry; a free-form
// message needs the customer to have written within 24 hours, else 470 asynchronously
// (docs/api/messages.md#the-24-hour-window).
import type { MessageRow } from '../../db/repositories/messages.js';
import type { ErrorCode } from '../../errors.js';
import { readStoredOutbound, type TemplateSummary } from '../../services/messages/stored.js';
import type { MediaKind } from '../../services/media/media-rules.js';
import type { VirtualCustomer } from './directory.js';

const CUSTOMER_SERVICE_WINDOW_MS = 24 * 60 * 60 * 1000;

type TemplateCheck = { ok: true; category: string } | { ok: false; code: number; details: string };

export interface TemplateChecker {
  check(send: TemplateSummary): Promise<TemplateCheck>;
}

export type SendDecision =
  | { failure: { code: ErrorCode; details?: string }; category?: undefined }
  | { failure?: undefined; category: string };

export async function decideSend(
  row: MessageRow,
  customer: VirtualCustomer,
  templates: TemplateChecker,
  at: number,
  /** When the customer last wrote (null: never). */
  lastInboundAt: (waId: string) => Promise<number | null>,
  /** Downloads a media link, with the named media provider's credentials: null when it could be fetched, else why not. */
  fetchLink: (url: string, provider: string | null, kind: MediaKind) => Promise<string | null>,
  /** The customer's identity changed and the business has not acknowledged it (show_security_notifications on). */
  identityUnacknowledged = false,
): Promise<SendDecision> {
  if (!customer.on_whatsapp) return { failure: { code: 1013, details: `${row.wa_id} is not a WhatsApp user` } };
  // Normally refused at POST /v1/messages (1028); this catches a send accepted just before the change was known.
  if (identityUnacknowledged)
    return {
      failure: {
        code: 480,
        details: `the identity of ${row.wa_id} changed; acknowledge it with PUT /v1/contacts/${row.wa_id}/identity`,
      },
    };
  if (customer.fail_with !== null)
    return {
      failure: {
        code: customer.fail_with,
        details: `the sandbox customer ${row.wa_id} is set to fail with ${customer.fail_with}`,
      },
    };
  const { message, template } = readStoredOutbound(row.content);
  const media = message[row.type] as { link?: unknown; provider?: { name?: unknown } } | undefined;
  if (typeof media?.link === 'string') {
    // The old API's documentation left the code of a failed link download open (docs/api/choices.md#messages);
    // 1014 with the reason in details.
    const provider = typeof media.provider?.name === 'string' ? media.provider.name : null;
    const problem = await fetchLink(media.link, provider, row.type as MediaKind);
    if (problem) return { failure: { code: 1014, details: `Media download error: ${problem}` } };
  }
  if (template) {
    const check = await templates.check(template);
    return check.ok
      ? { category: check.category.toLowerCase() }
      : { failure: { code: check.code as ErrorCode, details: check.details } };
  }
  const lastInbound = await lastInboundAt(row.wa_id);
  if (lastInbound === null || at - lastInbound > CUSTOMER_SERVICE_WINDOW_MS) {
    return {
      failure: {
        code: 470,
        details:
          'Message failed to send because more than 24 hours have passed since the customer last replied to this number',
      },
    };
  }
  return { category: 'service' };
}
