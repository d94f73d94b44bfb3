// Which fields of the stored settings documents are secrets: the webhook secret of `application`, and each media
// provider's bearer token and basic-auth password. Only those are sealed (src/lib/sealed-secrets.ts); the rest of
// a document stays readable JSON. A document that is not JSON is left as it is (the service reads it as defaults).
import { isSealed, type SecretsSealer } from '../lib/sealed-secrets.js';
import type { SettingsName } from '../db/repositories/settings.js';

type Field = { get(): unknown; set(value: string): void };

/** The text to store: each secret field sealed (an already sealed one is kept as it is). */
export function sealSettingsText(name: SettingsName, text: string, sealer: SecretsSealer): string {
  return mapSecretFields(name, text, (value) => (isSealed(value) ? value : sealer.seal(value)));
}

/** The text as the services know it: each secret field opened. Throws SealedSecretError for another key's. */
export function openSettingsText(name: SettingsName, text: string, sealer: SecretsSealer): string {
  return mapSecretFields(name, text, (value) => (isSealed(value) ? sealer.open(value) : value));
}

/** The secret values of a stored document as they are stored (sealed or clear), for the start-up checks. */
export function storedSecretValues(name: SettingsName, text: string): string[] {
  const values: string[] = [];
  mapSecretFields(name, text, (value) => {
    values.push(value);
    return value;
  });
  return values;
}

function mapSecretFields(name: SettingsName, text: string, map: (value: string) => string): string {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    return text;
  }
  const fields = secretFields(name, document);
  if (fields.length === 0) return text;
  for (const field of fields) {
    const value = field.get();
    if (typeof value === 'string') field.set(map(value));
  }
  return JSON.stringify(document);
}

function secretFields(name: SettingsName, document: unknown): Field[] {
  if (name === 'application') {
    const webhooks = isObject(document) ? document.webhooks : undefined;
    return isObject(webhooks) ? [fieldOf(webhooks, 'secret')] : [];
  }
  if (name === 'media_providers' && Array.isArray(document)) {
    return document.flatMap((provider: unknown) => {
      const config = isObject(provider) ? provider.config : undefined;
      if (!isObject(config)) return [];
      const basic = config.basic;
      return [fieldOf(config, 'bearer'), ...(isObject(basic) ? [fieldOf(basic, 'password')] : [])];
    });
  }
  return [];
}

function fieldOf(owner: Record<string, unknown>, key: string): Field {
  return { get: () => owner[key], set: (value) => (owner[key] = value) };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
