// One of Meta's webhooks ({object, entry[].changes[].value}) as the On-Prem callbacks it stands for. Every entry and
// every change is read (docs/api/cloud-bridge.md#translation: not only [0]); a change is for this node when its
// field is "messages" and its metadata.phone_number_id is the configured number, anything else is ignored and
// counted.
//
// One On-Prem POST per inbound message and per status, as the sandbox writes them: the integration sees exactly
// the payloads it got before, and a retried event is dropped alone, however Meta batched it the second time. A
// change's value.errors go out as one {errors: [...]} POST (docs/api/webhooks.md#errors).
import { translateMessage, type MessageTranslationDeps, type TranslatedMessage } from './messages.js';
import {
  isObject,
  objectsIn,
  pick,
  stringOf,
  translateCloudErrors,
  type DroppedField,
  type JsonObject,
} from './objects.js';
import { translateStatus, type TranslatedStatus } from './statuses.js';

export type IgnoredReason = 'field' | 'phone_number_id' | 'duplicate' | 'malformed' | 'status' | 'setting';

export type InboundEvent =
  | { kind: 'message'; key: string; waId: string; message: TranslatedMessage; webhook: JsonObject }
  | { kind: 'status'; key: string; status: TranslatedStatus }
  | { kind: 'error'; webhook: JsonObject };

export interface TranslatorDeps {
  phoneNumberId: string;
  media: Omit<MessageTranslationDeps, 'dropped'>;
  /** notify_user_change_number (docs/api/settings.md#application-settings): whether new numbers are announced. */
  notifyChangedNumber: boolean;
  /** Which of these dedupe keys were forwarded already (their events are skipped before any media is fetched). */
  seenAmong(keys: readonly string[]): Promise<Set<string>>;
  ignored(reason: IgnoredReason, detail: string): void;
  dropped: DroppedField;
}

const messageKey = (wamid: string) => `m:${wamid}`;
const statusKey = (wamid: string, status: string) => `s:${wamid}:${status}`;

const VALUE_KEYS = ['messaging_product', 'metadata', 'contacts', 'messages', 'statuses', 'errors'];

export async function translateCloudWebhook(body: unknown, deps: TranslatorDeps): Promise<InboundEvent[]> {
  if (!isObject(body) || body.object !== 'whatsapp_business_account' || !Array.isArray(body.entry)) {
    deps.ignored('malformed', 'not a whatsapp_business_account webhook');
    return [];
  }
  const events: InboundEvent[] = [];
  for (const entry of objectsIn(body.entry)) {
    for (const change of objectsIn(entry.changes)) {
      const value = isObject(change.value) ? change.value : null;
      const number = isObject(value?.metadata) ? stringOf(value.metadata.phone_number_id) : undefined;
      if (change.field !== 'messages') deps.ignored('field', `field ${String(change.field)}`);
      else if (!value || number !== deps.phoneNumberId)
        deps.ignored('phone_number_id', `phone_number_id ${String(number)}`);
      else events.push(...(await translateChange(pick(value, VALUE_KEYS, 'value', deps.dropped), deps)));
    }
  }
  return events;
}

async function translateChange(value: JsonObject, deps: TranslatorDeps): Promise<InboundEvent[]> {
  const messages = objectsIn(value.messages);
  const statuses = objectsIn(value.statuses);
  const seen = await deps.seenAmong([
    ...messages.flatMap((m) => (typeof m.id === 'string' ? [messageKey(m.id)] : [])),
    ...statuses.flatMap((s) =>
      typeof s.id === 'string' && typeof s.status === 'string' ? [statusKey(s.id, s.status)] : [],
    ),
  ]);
  const events: InboundEvent[] = [];
  const contacts = objectsIn(value.contacts).map((contact) =>
    pick(contact, ['profile', 'wa_id'], 'contact', deps.dropped),
  );
  for (const cloud of messages) {
    const event = await messageEvent(cloud, contacts, seen, deps);
    if (event) events.push(event);
  }
  for (const cloud of statuses) {
    const status = translateStatus(cloud, deps.dropped);
    if (!status) deps.ignored('status', `status ${String(cloud.status)} of ${String(cloud.id)}`);
    else if (seen.has(statusKey(status.messageId, status.status)))
      deps.ignored('duplicate', `status ${status.status} of ${status.messageId}`);
    else events.push({ kind: 'status', key: statusKey(status.messageId, status.status), status });
  }
  const errors = translateCloudErrors(value.errors);
  if (errors.length > 0) events.push({ kind: 'error', webhook: { errors } });
  return events;
}

async function messageEvent(
  cloud: JsonObject,
  contacts: JsonObject[],
  seen: Set<string>,
  deps: TranslatorDeps,
): Promise<InboundEvent | null> {
  if (typeof cloud.id === 'string' && seen.has(messageKey(cloud.id))) {
    deps.ignored('duplicate', `message ${cloud.id}`);
    return null;
  }
  const from = stringOf(cloud.from);
  // Cloud's `from` is the number the customer wrote from; contacts[].wa_id is their WhatsApp id, which On-Prem
  // used for both and which may differ (docs/api/cloud-bridge.md#inbound-messages: the webhook reveals the real
  // wa_id).
  const contact = contacts.find((c) => c.wa_id === from) ?? (contacts.length === 1 ? contacts[0] : undefined);
  const waId = stringOf(contact?.wa_id) ?? from;
  const translated = waId ? await translateMessage(cloud, waId, { ...deps.media, dropped: deps.dropped }) : null;
  if (!waId || !translated) {
    deps.ignored('malformed', `message ${String(cloud.id)} without from, id, type or timestamp`);
    return null;
  }
  const system = translated.message.system as JsonObject | undefined;
  if (system?.type === 'customer_changed_number' && !deps.notifyChangedNumber) {
    deps.ignored('setting', `changed number of ${waId}: notify_user_change_number is off`);
    return null;
  }
  const profile = isObject(contact?.profile)
    ? pick(contact.profile, ['name'], 'contact.profile', deps.dropped)
    : undefined;
  const name = stringOf(profile?.name);
  // Cloud sends no contacts with system messages; the callback then has none either rather than an invented name.
  const webhook: JsonObject = {
    ...(contact ? { contacts: [{ ...(name !== undefined ? { profile: { name } } : {}), wa_id: waId }] } : {}),
    messages: [translated.message],
  };
  return { kind: 'message', key: messageKey(translated.message.id as string), waId, message: translated, webhook };
}
