// The application settings (docs/api/settings.md#application-settings): their shape, defaults, and the checks a change
// must pass. Pure functions; the service (settings.ts) stores and caches what these produce.
import { fail, ok, type Result } from '../lib/result.js';

export const MEDIA_TYPES = ['audio', 'document', 'voice', 'video', 'image', 'sticker'] as const;
export type MediaType = (typeof MEDIA_TYPES)[number];
export const MAX_CONCURRENT_REQUESTS = [6, 12, 18, 24] as const;
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace'] as const;
const WEBHOOK_URL_MAX = 2048;
const SECRET_MIN = 16;
const SECRET_MAX = 256;
/** A day: far above any sensible retry step or cap, low enough that a typo (an extra digit or three) is caught. */
const BACKOFF_MAX_MS = 86_400_000;

export interface ApplicationSettings {
  callback_backoff_delay_ms: number;
  max_callback_backoff_delay_ms: number;
  callback_persist: boolean;
  pass_through: boolean;
  sent_status: boolean;
  heartbeat_interval: number;
  unhealthy_interval: number;
  notify_user_change_number: boolean;
  show_security_notifications: boolean;
  verbose_logging: boolean;
  log_level: string;
  garbagecollector_enable: { media: boolean; messages: boolean };
  media: { auto_download: MediaType[] };
  webhooks: {
    url: string | null;
    max_concurrent_requests: (typeof MAX_CONCURRENT_REQUESTS)[number];
    message: { sent: boolean; delivered: boolean; read: boolean };
    /** OpenPrem extension (docs/api/webhooks.md#delivery): the HMAC key of X-Hub-Signature-256. Never shown by GET. */
    secret: string | null;
  };
  // Legacy fields of the old API's table: accepted and kept so that old clients' PATCH bodies are not refused,
  // shown by GET once set (null = never set), with no effect on OpenPrem.
  on_call_pager: string | null;
  axolotl_context_striping_disabled: boolean | null;
  webhook_payload_conversation_pricingmodel_disabled: boolean | null;
  tcp_listen_address: string | null;
  /** The business number: read-only, never stored (it comes from the configuration). */
  wa_id: string;
}

export type StoredApplicationSettings = Omit<ApplicationSettings, 'wa_id'>;

export const DEFAULT_SETTINGS: StoredApplicationSettings = {
  callback_backoff_delay_ms: 3000,
  max_callback_backoff_delay_ms: 900_000,
  callback_persist: true,
  // The documented true was itself unconfirmed (Postman-derived; docs/api/choices.md#settings); the praekelt client and
  // the OpenAPI example body use false, and false keeps messages, which mark-as-read (PUT /v1/messages/{id}) needs.
  pass_through: false,
  sent_status: false,
  heartbeat_interval: 5,
  unhealthy_interval: 30,
  notify_user_change_number: true,
  show_security_notifications: true,
  verbose_logging: false,
  log_level: 'info',
  garbagecollector_enable: { media: false, messages: true },
  media: { auto_download: ['image', 'video', 'voice', 'sticker', 'audio', 'document'] },
  webhooks: {
    url: null,
    max_concurrent_requests: 6,
    // The documented defaults are unconfirmed; these keep what On-Prem did before the toggles existed (v2.41.2):
    // delivered and read callbacks always, `sent` only with the legacy `sent_status` (docs/api/choices.md#webhooks). A
    // `sent` default of true would override every old configuration that sets sent_status false. See
    // wantsStatusCallback.
    message: { sent: false, delivered: true, read: true },
    secret: null,
  },
  on_call_pager: null,
  axolotl_context_striping_disabled: null,
  webhook_payload_conversation_pricingmodel_disabled: null,
  tcp_listen_address: null,
};

/** Whether a status callback of this kind goes out: `sent` if either the toggle or legacy sent_status asks. */
export function wantsStatusCallback(settings: ApplicationSettings, status: 'sent' | 'delivered' | 'read'): boolean {
  if (status === 'sent') return settings.webhooks.message.sent || settings.sent_status;
  return settings.webhooks.message[status];
}

/** A PATCH body after the route's JSON schema: types are right, values are still to be checked. */
export type SettingsPatch = Partial<
  Omit<
    StoredApplicationSettings,
    'callback_backoff_delay_ms' | 'max_callback_backoff_delay_ms' | 'garbagecollector_enable' | 'media' | 'webhooks'
  >
> & {
  callback_backoff_delay_ms?: number | string;
  max_callback_backoff_delay_ms?: number | string;
  garbagecollector_enable?: Partial<ApplicationSettings['garbagecollector_enable']>;
  /** The older name of garbagecollector_enable, still in Meta's Postman collection (see readGarbageCollector). */
  db_garbagecollector_enable?: Partial<ApplicationSettings['garbagecollector_enable']>;
  media?: { auto_download?: string[] };
  webhooks?: Partial<Omit<ApplicationSettings['webhooks'], 'message' | 'max_concurrent_requests'>> & {
    max_concurrent_requests?: number;
    message?: Partial<ApplicationSettings['webhooks']['message']>;
    /** What GET shows instead of the secret; accepted back only when it tells the truth. */
    secret_set?: boolean;
  };
  wa_id?: string;
};

/** Applies a checked patch to the stored settings: nested objects merge, fields absent from the patch stay. */
export function applyPatch(
  base: StoredApplicationSettings,
  patch: SettingsPatch,
  waId: string,
): Result<StoredApplicationSettings> {
  // Read-only values are accepted when they repeat the current one, so a client may PATCH back what it got from
  // GET; any other value is 1009 (a value that is not valid here), not 1010, since the field itself is known.
  if (patch.wa_id !== undefined && patch.wa_id !== waId)
    return fail('invalidParameter', `wa_id is read-only (the business number ${waId})`);
  const { secret_set: secretSet, ...webhooks } = patch.webhooks ?? {};
  if (secretSet !== undefined && secretSet !== (base.webhooks.secret !== null) && webhooks.secret === undefined) {
    return fail(
      'invalidParameter',
      'webhooks.secret_set is read-only; set webhooks.secret (a string, or null to remove it)',
    );
  }
  const next: StoredApplicationSettings = structuredClone(base);
  const {
    wa_id: _waId,
    garbagecollector_enable: current,
    db_garbagecollector_enable: older,
    media,
    webhooks: _webhooks,
    ...flat
  } = patch;
  const gc = readGarbageCollector(current, older);
  if (!gc.ok) return gc;
  for (const [key, value] of Object.entries(flat)) {
    if (value === undefined) continue;
    if (!(key in DEFAULT_SETTINGS)) return fail('unexpectedParameter', `${key} is not an accepted parameter`);
    if (key === 'callback_backoff_delay_ms' || key === 'max_callback_backoff_delay_ms') {
      const ms = readMilliseconds(key, value as number | string);
      if (!ms.ok) return ms;
      next[key] = ms.value;
    } else if ((key === 'heartbeat_interval' || key === 'unhealthy_interval') && !inRange(value, 1, 86_400)) {
      return fail('invalidParameter', `${key} must be a whole number of seconds from 1 to 86400`);
    } else if (key === 'log_level' && !(LOG_LEVELS as readonly unknown[]).includes(value)) {
      return fail('invalidParameter', `log_level must be one of ${LOG_LEVELS.join(', ')}`);
    } else {
      (next as unknown as Record<string, unknown>)[key] = value;
    }
  }
  Object.assign(next.garbagecollector_enable, gc.value);
  if (media?.auto_download !== undefined) {
    const unknown = media.auto_download.find((type) => !(MEDIA_TYPES as readonly string[]).includes(type));
    if (unknown !== undefined)
      return fail('invalidParameter', `media.auto_download: "${unknown}" is not one of ${MEDIA_TYPES.join(', ')}`);
    next.media.auto_download = [...new Set(media.auto_download as MediaType[])];
  }
  const hooks = applyWebhooks(next.webhooks, webhooks);
  if (!hooks.ok) return hooks;
  if (next.callback_backoff_delay_ms > next.max_callback_backoff_delay_ms) {
    return fail(
      'invalidParameter',
      `callback_backoff_delay_ms (${next.callback_backoff_delay_ms}) must not exceed max_callback_backoff_delay_ms (${next.max_callback_backoff_delay_ms})`,
    );
  }
  return ok(next);
}

function applyWebhooks(
  target: StoredApplicationSettings['webhooks'],
  patch: Omit<NonNullable<SettingsPatch['webhooks']>, 'secret_set'>,
): Result<void> {
  if (patch.url !== undefined) {
    const url = patch.url === null || patch.url.trim() === '' ? null : patch.url.trim();
    if (url !== null && !isWebhookUrl(url)) {
      return fail(
        'invalidParameter',
        `webhooks.url must be an absolute http:// or https:// URL of at most ${WEBHOOK_URL_MAX} characters, or null to unset it`,
      );
    }
    target.url = url;
  }
  if (patch.max_concurrent_requests !== undefined) {
    if (!(MAX_CONCURRENT_REQUESTS as readonly number[]).includes(patch.max_concurrent_requests)) {
      return fail(
        'invalidParameter',
        `webhooks.max_concurrent_requests must be one of ${MAX_CONCURRENT_REQUESTS.join(', ')}`,
      );
    }
    target.max_concurrent_requests =
      patch.max_concurrent_requests as ApplicationSettings['webhooks']['max_concurrent_requests'];
  }
  if (patch.secret !== undefined) {
    if (patch.secret !== null && (patch.secret.length < SECRET_MIN || patch.secret.length > SECRET_MAX)) {
      return fail(
        'invalidParameter',
        `webhooks.secret must be ${SECRET_MIN} to ${SECRET_MAX} characters long, or null to remove it`,
      );
    }
    target.secret = patch.secret;
  }
  Object.assign(target.message, definedOnly(patch.message ?? {}));
  return ok(undefined);
}

/**
 * `db_garbagecollector_enable` is the name the API documented before `garbagecollector_enable`, and Meta's Postman
 * collection (v2.37) still sends it. Both names in one body are merged; a switch given a different value under
 * each name is refused (1009) rather than one silently winning, since the caller's intent is then unknown.
 */
function readGarbageCollector(
  current: SettingsPatch['garbagecollector_enable'],
  older: SettingsPatch['garbagecollector_enable'],
): Result<Partial<ApplicationSettings['garbagecollector_enable']>> {
  const now = definedOnly(current ?? {});
  const before = definedOnly(older ?? {});
  for (const key of ['media', 'messages'] as const) {
    if (now[key] !== undefined && before[key] !== undefined && now[key] !== before[key]) {
      return fail(
        'invalidParameter',
        `garbagecollector_enable.${key} and db_garbagecollector_enable.${key} (its older name) disagree; send one of them`,
      );
    }
  }
  return ok({ ...before, ...now });
}

/** The old API documented these as numeric strings and clients send both forms: "3000" and 3000 are the same. */
function readMilliseconds(field: string, value: number | string): Result<number> {
  const ms = typeof value === 'string' && /^\d{1,12}$/.test(value.trim()) ? Number(value.trim()) : value;
  if (!inRange(ms, 1, BACKOFF_MAX_MS)) {
    return fail(
      'invalidParameter',
      `${field} must be a whole number of milliseconds from 1 to ${BACKOFF_MAX_MS}, as an integer or a numeric string`,
    );
  }
  return ok(ms as number);
}

function isWebhookUrl(raw: string): boolean {
  if (raw.length > WEBHOOK_URL_MAX || !/^https?:\/\//i.test(raw)) return false;
  try {
    const url = new URL(raw);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}

function inRange(value: unknown, min: number, max: number): boolean {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** A stored document (possibly from an older release, missing newer fields) over the defaults. */
export function fromStored(text: string | undefined): StoredApplicationSettings {
  const stored = text === undefined ? {} : (JSON.parse(text) as Partial<StoredApplicationSettings>);
  const d = structuredClone(DEFAULT_SETTINGS);
  return {
    ...d,
    ...stored,
    garbagecollector_enable: { ...d.garbagecollector_enable, ...stored.garbagecollector_enable },
    media: { ...d.media, ...stored.media },
    webhooks: { ...d.webhooks, ...stored.webhooks, message: { ...d.webhooks.message, ...stored.webhooks?.message } },
  };
}
