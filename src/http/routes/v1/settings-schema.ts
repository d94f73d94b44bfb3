// JSON schemas of /v1/settings/application and its media providers (docs/api/settings.md#application-settings,
// docs/api/settings.md#media-providers). Closed objects, so an unknown field is 1010 naming it; types are checked here,
// values (URL, ranges, backoff ≤ cap) by the service.
import type { ApplicationSettings } from '../../../services/settings.js';
import { LOG_LEVELS, MAX_CONCURRENT_REQUESTS, MEDIA_TYPES } from '../../../services/settings-rules.js';
import { envelope } from '../../schemas.js';

const bool = { type: 'boolean' } as const;
const legacyBool = { type: ['boolean', 'null'] } as const;
const toggles = {
  type: 'object',
  additionalProperties: false,
  properties: { sent: bool, delivered: bool, read: bool },
} as const;
const gc = { type: 'object', additionalProperties: false, properties: { media: bool, messages: bool } } as const;
/** The fields whose type is the same in a PATCH and in what GET answers. */
const plainFields = {
  callback_persist: bool,
  pass_through: bool,
  sent_status: bool,
  heartbeat_interval: { type: 'integer' },
  unhealthy_interval: { type: 'integer' },
  notify_user_change_number: bool,
  show_security_notifications: bool,
  verbose_logging: bool,
} as const;

export const settingsPatchSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    // The old API documented numeric strings ("3000") and showed integers; clients send both. The service checks
    // these two (one message naming both accepted forms), since Ajv's strict mode warns on an integer|string union.
    callback_backoff_delay_ms: {},
    max_callback_backoff_delay_ms: {},
    ...plainFields,
    log_level: { type: 'string', enum: [...LOG_LEVELS] },
    garbagecollector_enable: gc,
    // The older name of garbagecollector_enable; the service merges the two (settings-rules.ts).
    db_garbagecollector_enable: gc,
    media: {
      type: 'object',
      additionalProperties: false,
      properties: { auto_download: { type: 'array', maxItems: 16, items: { type: 'string', enum: [...MEDIA_TYPES] } } },
    },
    webhooks: {
      type: 'object',
      additionalProperties: false,
      properties: {
        url: { type: ['string', 'null'] },
        max_concurrent_requests: { type: 'integer', enum: [...MAX_CONCURRENT_REQUESTS] },
        message: toggles,
        secret: { type: ['string', 'null'] },
        secret_set: bool,
      },
    },
    on_call_pager: { type: ['string', 'null'], maxLength: 256 },
    axolotl_context_striping_disabled: legacyBool,
    webhook_payload_conversation_pricingmodel_disabled: legacyBool,
    tcp_listen_address: { type: ['string', 'null'], maxLength: 256 },
    wa_id: { type: 'string' },
  },
} as const;

export const applicationResponse = envelope({
  settings: {
    type: 'object',
    properties: {
      application: {
        type: 'object',
        properties: {
          callback_backoff_delay_ms: { type: 'integer' },
          max_callback_backoff_delay_ms: { type: 'integer' },
          ...plainFields,
          log_level: { type: 'string' },
          garbagecollector_enable: gc,
          media: { type: 'object', properties: { auto_download: { type: 'array', items: { type: 'string' } } } },
          wa_id: { type: 'string' },
          // No `secret` here: the serialiser drops any property not listed, a second guard behind applicationView.
          webhooks: {
            type: 'object',
            properties: {
              url: { type: ['string', 'null'] },
              max_concurrent_requests: { type: 'integer' },
              message: toggles,
              secret_set: bool,
            },
          },
          on_call_pager: { type: 'string' },
          axolotl_context_striping_disabled: bool,
          webhook_payload_conversation_pricingmodel_disabled: bool,
          tcp_listen_address: { type: 'string' },
        },
      },
    },
  },
});

/**
 * What GET shows. The webhook secret is never returned, not even masked: a client that GETs the settings and PATCHes
 * the object back would write a mask such as "<hidden>" over the real secret. `secret_set` tells whether one is set,
 * and the service accepts it back only when it is true to the state. Legacy fields appear once set.
 */
export function applicationView(settings: ApplicationSettings) {
  const { secret, ...webhooks } = settings.webhooks;
  const view: Record<string, unknown> = { ...settings, webhooks: { ...webhooks, secret_set: secret !== null } };
  for (const legacy of [
    'on_call_pager',
    'axolotl_context_striping_disabled',
    'webhook_payload_conversation_pricingmodel_disabled',
    'tcp_listen_address',
  ]) {
    if (view[legacy] === null) delete view[legacy];
  }
  return { settings: { application: view } };
}

const providerConfig = {
  type: 'object',
  additionalProperties: false,
  properties: {
    bearer: { type: 'string', minLength: 1, maxLength: 4096 },
    basic: {
      type: 'object',
      additionalProperties: false,
      required: ['username', 'password'],
      properties: {
        username: { type: 'string', minLength: 1, maxLength: 256 },
        password: { type: 'string', maxLength: 256 },
      },
    },
  },
} as const;

export const providersBodySchema = {
  type: 'array',
  maxItems: 100,
  items: {
    type: 'object',
    additionalProperties: false,
    required: ['name', 'type', 'config'],
    properties: {
      name: { type: 'string', minLength: 1, maxLength: 64 },
      type: { type: 'string', enum: ['www'] },
      config: providerConfig,
    },
  },
} as const;

export const providersResponse = envelope({
  settings: {
    type: 'object',
    properties: {
      application: {
        type: 'object',
        properties: {
          media: {
            type: 'object',
            properties: {
              providers: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: { name: { type: 'string' }, type: { type: 'string' }, config: providerConfig },
                },
              },
            },
          },
        },
      },
    },
  },
});

export const providerParams = {
  type: 'object',
  required: ['name'],
  properties: { name: { type: 'string', minLength: 1, maxLength: 256 } },
} as const;
