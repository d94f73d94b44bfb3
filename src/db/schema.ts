// Table types for Kysely. Times are milliseconds since the epoch (BIGINT); booleans are 0/1 integers so that
// SQLite and PostgreSQL share one code path.
import type { Generated } from 'kysely';

export interface UsersTable {
  username: string;
  password_hash: string;
  role: 'ROLE_ADMIN' | 'ROLE_USER';
  must_change_password: number;
  created_at: number;
  updated_at: number;
}

export interface AuthTokensTable {
  token_hash: string;
  username: string;
  created_at: number;
  expires_at: number;
}

/** The 7-day cache of contact look-ups, keyed by wa_id. */
export interface ContactsTable {
  wa_id: string;
  status: 'valid' | 'invalid';
  checked_at: number;
  expires_at: number;
}

/** `blocking: no_wait` look-ups still to run (or finished, with their result), so a restart loses none. */
export interface ContactLookupsTable {
  id: Generated<number>;
  /** JSON array of {input, wa_id} in request order. */
  entries: string;
  state: 'pending' | 'done';
  /** JSON array of {input, status, wa_id?} once done. */
  result: string | null;
  attempts: number;
  run_at: number;
  claimed_until: number | null;
  created_at: number;
  completed_at: number | null;
}

/** Virtual customers whose behaviour differs from the sandbox defaults. */
export interface SandboxCustomersTable {
  wa_id: string;
  name: string | null;
  on_whatsapp: number;
  read_receipts: number;
  online: number;
  fail_with: number | null;
  created_at: number;
  updated_at: number;
}

/** The sandbox's message templates, one row per translation (see src/services/template-rules.ts). */
export interface SandboxTemplatesTable {
  namespace: string;
  name: string;
  language: string;
  category: 'MARKETING' | 'UTILITY' | 'AUTHENTICATION';
  status: 'approved' | 'paused' | 'disabled' | 'rejected';
  /** JSON: {header?, body, footer?, buttons?}. */
  components: string;
  created_at: number;
  updated_at: number;
}

/** Shared settings, one JSON document per group: `application` and `media_providers`. No row = defaults. */
export interface SettingsTable {
  /** `secrets_key`: the id of the key that seals this database's secrets (src/services/secrets-at-rest.ts). */
  name: 'application' | 'media_providers' | 'secrets_key';
  value: string;
  updated_at: number;
}

/** One callback to deliver (see src/outbox/). */
export interface WebhookOutboxTable {
  id: Generated<number>;
  /** Sent as X-OpenPrem-Delivery-Id, stable across retries. */
  delivery_id: string;
  kind: 'contacts' | 'message' | 'status' | 'error';
  /** The exact JSON body sent (and signed). */
  payload: string;
  state: 'pending' | 'delivered' | 'failed';
  attempts: number;
  next_attempt_at: number;
  claimed_until: number | null;
  created_at: number;
  completed_at: number | null;
  last_status_code: number | null;
  last_error: string | null;
  /** Callbacks with one key (one message's statuses) are delivered one at a time, in id order; null: no order. */
  ordering_key: string | null;
}

interface WebhookAttemptsTable {
  id: Generated<number>;
  outbox_id: number;
  attempted_at: number;
  duration_ms: number;
  status_code: number | null;
  error: string | null;
  /** The first KB of the receiver's answer. */
  response_body: string | null;
}

/** A message either way: `out` sent by the business, `in` sent by a customer. */
export interface MessagesTable {
  id: string;
  direction: 'out' | 'in';
  /** The customer's wa_id (recipient of `out`, sender of `in`). */
  wa_id: string;
  type: string;
  /** JSON: the message as the API accepted it (out) or as the webhook carried it (in). */
  content: string;
  /** out: accepted → sent → delivered → read, or failed. in: received → read. */
  status: 'accepted' | 'sent' | 'delivered' | 'read' | 'failed' | 'received';
  context_id: string | null;
  error_code: number | null;
  /** The pricing category, known once the network accepted the message: service, marketing, utility, authentication. */
  category: string | null;
  conversation_id: string | null;
  created_at: number;
  sent_at: number | null;
  delivered_at: number | null;
  read_at: number | null;
  updated_at: number;
}

export interface MediaTable {
  id: string;
  mime_type: string;
  sha256: string;
  file_size: number;
  storage_key: string | null;
  created_at: number;
}

/** Media bytes in the database (WA_MEDIA_STORE=database): 256 KB rows, `seq` from 0. */
interface MediaChunksTable {
  storage_key: string;
  seq: number;
  data: Buffer;
}

/** A blob being written (`upload`) or removed (`delete`); what a dead node leaves here the retention pass finishes. */
export interface MediaPendingTable {
  storage_key: string;
  reason: 'upload' | 'delete';
  since: number;
}

/**
 * The cloud gateway's map from a local media id (the media row On-Prem clients see) to Meta's Cloud media id, with
 * the short-lived download URL Graph last handed out for it (cached until shortly before it expires).
 */
export interface CloudMediaTable {
  media_id: string;
  cloud_id: string;
  url: string | null;
  url_expires_at: number | null;
  created_at: number;
}

/** The wa_id Meta revealed for a number as dialled (cloud gateway). */
interface CloudWaIdsTable {
  dialled: string;
  wa_id: string;
  updated_at: number;
}

/**
 * Something the network will do to a message at `due_at`: the hand-off (`send`), a future status, or the end of
 * its `ttl` (`expire`: still undelivered then, it fails with 410).
 */
export interface ScheduledEffectsTable {
  id: Generated<number>;
  message_id: string;
  kind: 'send' | 'sent' | 'delivered' | 'read' | 'expire';
  due_at: number;
}

/** A priced 24-hour conversation, opened by the first message of its category to a customer. */
export interface ConversationsTable {
  id: string;
  wa_id: string;
  category: string;
  opened_at: number;
  expires_at: number;
}

/** Uploaded certificates (src/services/certificates.ts): the served `external` chain and the webhooks' CA bundle. */
export interface CertificatesTable {
  name: 'external' | 'webhooks_ca';
  /** Canonical PEM: for `external` the PKCS#8 key, then the certificate, then its intermediates, sealed with the
   *  node key as a whole (src/lib/sealed-secrets.ts). */
  pem: string;
  updated_at: number;
}

/**
 * The business number's registration and shard count (docs/api/account-and-registration.md): one row, id 1.
 * `pending` is a code requested (POST /v1/account) and not yet verified; `code` is what the sandbox "sent"
 * (GET /sandbox/account/code). The gateway reports `connecting` until `connected_at`, then `connected`.
 */
export interface AccountTable {
  id: number;
  state: 'unregistered' | 'pending' | 'registered';
  cc: string | null;
  phone_number: string | null;
  method: 'sms' | 'voice' | null;
  vname: string | null;
  /** The verified-name certificate as the client sent it (base64). */
  cert: string | null;
  code: string | null;
  code_expires_at: number | null;
  code_attempts: number;
  registered_at: number | null;
  connected_at: number | null;
  shards: number;
  updated_at: number;
}

/** The business's profile, one row per part: about, business, two_step, photo (whose bytes are in `data`). */
export interface ProfileTable {
  name: 'about' | 'business' | 'two_step' | 'photo';
  /** JSON document. */
  value: string;
  data: Buffer | null;
  updated_at: number;
}

/** The business's compliance information: one row, id 1 (migration 0014). */
interface BusinessComplianceTable {
  id: number;
  entity_name: string;
  entity_type: string;
  entity_type_custom: string | null;
  is_registered: number | null;
  /** JSON: { name, email, mobile_number?, landline_number? }. */
  grievance_officer: string;
  /** JSON: { email, mobile_number?, landline_number? }. */
  customer_care: string;
  updated_at: number;
}

/** The latest identity change of a customer, and whether the business acknowledged it. */
export interface ContactIdentitiesTable {
  wa_id: string;
  hash: string;
  created_at: number;
  acknowledged: number;
  acknowledged_at: number | null;
}

/** The business's own (third-party) sticker packs. */
export interface StickerpacksTable {
  id: string;
  publisher: string;
  name: string;
  ios_app_store_link: string | null;
  android_app_store_link: string | null;
  next_sticker_index: number;
  created_at: number;
  updated_at: number;
}

export interface StickersTable {
  pack_id: string;
  sticker_index: number;
  image_data_id: string;
  /** JSON array of emoji strings. */
  emojis: string;
  created_at: number;
  updated_at: number;
}

/** A webhook Meta posted to /cloud/webhook, as received (the raw JSON text), until translated and after. */
interface CloudWebhooksTable {
  id: Generated<number>;
  body: string;
  state: 'pending' | 'processed';
  attempts: number;
  next_attempt_at: number;
  claimed_until: number | null;
  received_at: number;
  processed_at: number | null;
  last_error: string | null;
}

/** What the cloud gateway already forwarded: `m:<wamid>`, `s:<wamid>:<status>`, `p:<sha256 of a payload>`. */
interface CloudWebhookKeysTable {
  key: string;
  seen_at: number;
}

/** A named lease (today one: `leader`): the node that holds it until `expires_at` runs the singleton work. */
interface ClusterLeasesTable {
  name: string;
  /** The holder's node key, `<hostname>:<node id>`. */
  holder: string;
  acquired_at: number;
  expires_at: number;
}

/** One row per node on the database, refreshed on every heartbeat. */
export interface ClusterNodesTable {
  node_key: string;
  hostname: string;
  version: string;
  started_at: number;
  last_seen_at: number;
  gateway_status: string;
}

/** What the last start ran with, one row (id 1): start-up compares it to the configuration (src/services/start-notices.ts). */
export interface InstallationTable {
  id: number;
  gateway: 'sandbox' | 'cloud';
  updated_at: number;
}

export interface Database {
  users: UsersTable;
  auth_tokens: AuthTokensTable;
  contacts: ContactsTable;
  contact_lookups: ContactLookupsTable;
  sandbox_customers: SandboxCustomersTable;
  sandbox_templates: SandboxTemplatesTable;
  settings: SettingsTable;
  webhook_outbox: WebhookOutboxTable;
  webhook_attempts: WebhookAttemptsTable;
  messages: MessagesTable;
  media: MediaTable;
  media_chunks: MediaChunksTable;
  media_pending: MediaPendingTable;
  cloud_media: CloudMediaTable;
  cloud_wa_ids: CloudWaIdsTable;
  scheduled_effects: ScheduledEffectsTable;
  conversations: ConversationsTable;
  certificates: CertificatesTable;
  account: AccountTable;
  profile: ProfileTable;
  business_compliance: BusinessComplianceTable;
  contact_identities: ContactIdentitiesTable;
  stickerpacks: StickerpacksTable;
  stickers: StickersTable;
  cloud_webhooks: CloudWebhooksTable;
  cloud_webhook_keys: CloudWebhookKeysTable;
  cluster_leases: ClusterLeasesTable;
  cluster_nodes: ClusterNodesTable;
  installation: InstallationTable;
}
