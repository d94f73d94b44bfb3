// The one table that groups the document's operations: a route's tag is the one of the longest path prefix it starts
// with, so a route added later under a known prefix lands in its group with nothing to register. A prefix matches
// whole segments only (/v1/media, not /v1/mediafoo); "/" matches GET / alone.

export interface TagRow {
  readonly tag: string;
  readonly description: string;
  readonly prefixes: readonly string[];
}

/** In the order Swagger UI shows the groups: the old API first, then OpenPrem's own. */
export const TAG_TABLE: readonly TagRow[] = [
  {
    tag: 'users',
    prefixes: ['/v1/users'],
    description: 'Log in (Basic credentials in, bearer token out), log out, and manage ROLE_USER accounts.',
  },
  {
    tag: 'contacts',
    prefixes: ['/v1/contacts'],
    description: 'Check phone numbers in any format and get their wa_id; acknowledge identity changes.',
  },
  {
    tag: 'messages',
    prefixes: ['/v1/messages'],
    description:
      'Send every message type (text, media, templates, interactive, reactions) and mark incoming messages read.',
  },
  { tag: 'media', prefixes: ['/v1/media'], description: 'Upload files as raw bytes, download and delete them by id.' },
  {
    tag: 'settings',
    prefixes: ['/v1/settings', '/v1/services', '/services'],
    description:
      'Application settings (webhooks, retries, media), media providers, backup and restore, message garbage collection.',
  },
  {
    tag: 'profile',
    prefixes: ['/v1/settings/profile', '/v1/settings/business'],
    description: 'About text, profile photo, business profile and compliance information.',
  },
  {
    tag: 'account',
    prefixes: ['/v1/account', '/v1/settings/account'],
    description: 'Registration of the business number, shards and two-step verification.',
  },
  {
    tag: 'certificates',
    prefixes: ['/v1/certificates'],
    description: "The server's HTTPS certificate (PEM) and the CA bundle trusted for webhook receivers.",
  },
  {
    tag: 'stickerpacks',
    prefixes: ['/v1/stickerpacks'],
    description: "The business's own sticker packs and their stickers.",
  },
  {
    tag: 'health & metrics',
    prefixes: ['/', '/v1/health', '/v1/metrics', '/metrics', '/v1/stats', '/v1/support'],
    description:
      'Liveness, gateway state, metrics (JSON or Prometheus text), stats and support information. Several accept Authorization: Apikey.',
  },
  {
    tag: 'sandbox',
    prefixes: ['/sandbox'],
    description:
      "OpenPrem extension: the simulated network's controls (virtual customers, inbound messages, templates). Sandbox gateway only.",
  },
  {
    tag: 'webhooks log',
    prefixes: ['/x/v1/webhooks'],
    description: 'OpenPrem extension: every webhook delivery with its attempts, and replay.',
  },
  {
    tag: 'conversations',
    prefixes: ['/x/v1/conversations', '/x/v1/events'],
    description:
      'OpenPrem extension: the stored conversations of both gateways and a live stream of their changes (what the web console at /console reads).',
  },
  { tag: 'extensions', prefixes: ['/x'], description: "OpenPrem's other extensions outside /v1/." },
  {
    tag: 'cloud',
    prefixes: ['/cloud'],
    description:
      "OpenPrem extension: the cloud gateway's receiver for Meta's webhooks (WA_GATEWAY=cloud only). Called by Meta, not by integrations.",
  },
];

/** For a route outside every prefix of the table: the test of the document requires that no operation has it. */
const UNGROUPED_TAG = 'other';

const byPrefix = TAG_TABLE.flatMap((row) => row.prefixes.map((prefix) => ({ prefix, tag: row.tag }))).sort(
  (a, b) => b.prefix.length - a.prefix.length,
);

/** The tag of a route's URL (Fastify's form, e.g. /v1/media/:id). */
export function tagOf(url: string): string {
  const found = byPrefix.find(({ prefix }) => url === prefix || url.startsWith(`${prefix}/`));
  return found?.tag ?? UNGROUPED_TAG;
}
