// An On-Prem message, already validated by validateOutboundMessage, as the Cloud API's send body
// (docs/api/cloud-bridge.md#send-a-message). Pure functions: the caller looks the Cloud ids of local media up first
// and hands them in.
//
// What changes: `messaging_product: "whatsapp"` is added; `recipient_type` is always "individual"; the top-level
// `preview_url` moves to `text.preview_url`; templates lose `namespace` and `language.policy` (Cloud names a
// template by name and language code only); `hsm` becomes a `template` with one body component; local media ids
// (in the media object, an interactive header or template parameters) become Cloud media ids; On-Prem's media
// `provider` is dropped (Cloud fetches only public links); `ttl` is gone from Cloud and is dropped.
import type { OutboundMessage } from '../../services/messages/outbound.js';

type Json = Record<string, unknown>;

const MEDIA_KEYS = ['image', 'audio', 'video', 'document', 'sticker'] as const;

/** The Cloud send body. `cloudMediaId` answers the Cloud id of each local id in message.mediaIds. */
export function toCloudMessage(
  message: OutboundMessage,
  waId: string,
  cloudMediaId: (localId: string) => string,
): Json {
  const body: Json = {
    messaging_product: 'whatsapp',
    recipient_type: 'individual',
    to: waId,
    type: message.type === 'hsm' ? 'template' : message.type,
  };
  if (message.contextMessageId !== null) body.context = { message_id: message.contextMessageId };
  if (message.bizOpaqueCallbackData !== null) body.biz_opaque_callback_data = message.bizOpaqueCallbackData;
  switch (message.type) {
    case 'text':
      body.text = message.previewUrl ? { ...(message.content as Json), preview_url: true } : message.content;
      break;
    case 'template':
      body.template = cloudTemplate(message.content as Json, cloudMediaId);
      break;
    case 'hsm':
      body.template = hsmAsTemplate(message.content as Json);
      break;
    case 'contacts':
      body.contacts = (message.content as Json[]).map(({ ims: _ims, ...card }) => card);
      break;
    default:
      body[message.type] = mapMedia(message.content as Json, cloudMediaId);
  }
  return body;
}

function cloudTemplate(template: Json, cloudMediaId: (localId: string) => string): Json {
  const language = template.language as Json;
  const cloud: Json = { name: template.name, language: { code: language.code } };
  if (Array.isArray(template.components)) {
    cloud.components = (template.components as Json[]).map((component) => {
      if (!Array.isArray(component.parameters)) return component;
      return {
        ...component,
        parameters: (component.parameters as Json[]).map((parameter) => cloudParameter(parameter, cloudMediaId)),
      };
    });
  }
  return cloud;
}

function cloudParameter(parameter: Json, cloudMediaId: (localId: string) => string): Json {
  // Cloud reads a date_time parameter's fallback_value only; On-Prem's date parts would be an unknown field.
  if (parameter.type === 'date_time' && typeof parameter.date_time === 'object' && parameter.date_time !== null) {
    const { fallback_value } = parameter.date_time as Json;
    return { ...parameter, date_time: { fallback_value } };
  }
  return mapMedia(parameter, cloudMediaId);
}

/** The deprecated hsm form: element_name and localizable_params become name and one body component. */
function hsmAsTemplate(hsm: Json): Json {
  const language = hsm.language as Json;
  const template: Json = { name: hsm.element_name, language: { code: language.code } };
  const params = (hsm.localizable_params ?? []) as Json[];
  if (params.length > 0) template.components = [{ type: 'body', parameters: params.map(hsmParameter) }];
  return template;
}

function hsmParameter(param: Json): Json {
  const fallback = param.default as string;
  if (param.currency) {
    const currency = param.currency as Json;
    return {
      type: 'currency',
      currency: { fallback_value: fallback, code: currency.currency_code, amount_1000: currency.amount_1000 },
    };
  }
  if (param.date_time) return { type: 'date_time', date_time: { fallback_value: fallback } };
  return { type: 'text', text: fallback };
}

/**
 * A copy of `value` with every media object's local id replaced, the media `provider` dropped, and nothing else
 * touched: covers the media message itself, an interactive header and template parameters alike.
 */
function mapMedia(value: Json, cloudMediaId: (localId: string) => string): Json {
  const copy: Json = { ...value };
  if (isMediaObject(copy)) {
    delete copy.provider;
    if (typeof copy.id === 'string') copy.id = cloudMediaId(copy.id);
  }
  for (const key of [...MEDIA_KEYS, 'header']) {
    const inner = copy[key];
    if (inner && typeof inner === 'object' && !Array.isArray(inner)) copy[key] = mapMedia(inner as Json, cloudMediaId);
  }
  return copy;
}

function isMediaObject(value: Json): boolean {
  return typeof value.id === 'string' || typeof value.link === 'string';
}
