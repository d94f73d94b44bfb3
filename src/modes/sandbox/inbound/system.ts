// System messages about the customer (docs/api/sandbox.md#system-messages; the old API's documentation left their
// field names unconfirmed, these follow it: docs/api/choices.md#contacts):
//   customer_changed_number   {body, type, new_wa_id}
//   customer_identity_changed {body, type, identity, customer}
// `body` is optional in the request. WhatsApp wrote it for the business, so when it is left out it is written here
// the same way, once the sender's wa_id and profile name are known (completeSystemMessage):
//   "User Kerry changed from 16315551234 to 16315551235"  (Cloud's documented wording, with wa_ids)
//   "Your security code with Kerry changed"              (the notice WhatsApp shows in the chat, without the
//                                                          "Tap to learn more" of its UI)
// `customer` (identity change) defaults to the sender's wa_id, the only customer it can be about.
import {
  child,
  compact,
  has,
  isObject,
  optionalString,
  readObject,
  requiredEnum,
  requiredString,
  unexpected,
  WA_ID,
  WA_ID_EXPECTED,
  type JsonObject,
} from './fields.js';

const SYSTEM_TYPES = ['customer_changed_number', 'customer_identity_changed'] as const;
type SystemType = (typeof SYSTEM_TYPES)[number];

const FIELDS: Record<SystemType, readonly string[]> = {
  customer_changed_number: ['new_wa_id'],
  customer_identity_changed: ['identity', 'customer'],
};

export function readSystem(value: unknown): JsonObject {
  const path = 'system';
  const system = readObject(value, path, [
    'body',
    'type',
    ...FIELDS.customer_changed_number,
    ...FIELDS.customer_identity_changed,
  ]);
  const type = requiredEnum(system, path, 'type', SYSTEM_TYPES);
  for (const key of Object.keys(system)) {
    if (key === 'body' || key === 'type' || FIELDS[type].includes(key)) continue;
    throw unexpected(child(path, key), `a ${type} message carries ${FIELDS[type].join(' and ')}`);
  }
  const body = optionalString(system, path, 'body');
  if (type === 'customer_changed_number') {
    // A wa_id, not any phone format: the number is the customer's new WhatsApp id, which the caller knows.
    return compact({
      body,
      type,
      new_wa_id: requiredString(system, path, 'new_wa_id', { pattern: WA_ID, expected: WA_ID_EXPECTED }),
    });
  }
  return compact({
    body,
    type,
    identity: requiredString(system, path, 'identity'),
    customer: optionalString(system, path, 'customer', { pattern: WA_ID, expected: WA_ID_EXPECTED }),
  });
}

/**
 * The message with what only the sender's identity can fill in: `system.body` and `system.customer` when the
 * request left them out. Other messages, and complete system messages, come back unchanged. Idempotent.
 */
export function completeSystemMessage(
  message: Record<string, unknown>,
  sender: { waId: string; profileName: string },
): Record<string, unknown> {
  const system = message.system;
  if (message.type !== 'system' || !isObject(system)) return message;
  const completed: JsonObject = { body: has(system, 'body') ? system.body : describe(system, sender), ...system };
  if (system.type === 'customer_identity_changed' && !has(system, 'customer')) completed.customer = sender.waId;
  return { ...message, system: completed };
}

function describe(system: JsonObject, { waId, profileName }: { waId: string; profileName: string }): string {
  if (system.type === 'customer_changed_number')
    return `User ${profileName} changed from ${waId} to ${String(system.new_wa_id)}`;
  return `Your security code with ${profileName} changed`;
}
