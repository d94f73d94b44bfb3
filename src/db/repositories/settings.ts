import type { Db } from '../database.js';
import type { SettingsTable } from '../schema.js';
import { isSealed, type SecretsSealer } from '../../lib/sealed-secrets.js';

/** The groups the services read and write; the `secrets_key` row belongs to src/services/secrets-at-rest.ts. */
export type SettingsName = Exclude<SettingsTable['name'], 'secrets_key'>;

export interface StoredSettings {
  /** The document with its secret fields opened. */
  value: string;
  /** The document as stored (secrets sealed): what compareAndSet compares against. */
  stored: string;
  updatedAt: number;
}

/**
 * One JSON document per settings group, its secret fields sealed with the node key (sealSettingsText below). Writes
 * are compare-and-set on the stored text: two nodes patching at once cannot lose each other's change (the loser
 * re-reads and merges again), on either dialect, without row locks (SQLite has no SELECT … FOR UPDATE, and a missing
 * row cannot be locked at all).
 */
export function createSettingsRepository(db: Db, sealer: SecretsSealer) {
  return {
    async read(name: SettingsName): Promise<StoredSettings | undefined> {
      const row = await db
        .selectFrom('settings')
        .select(['value', 'updated_at'])
        .where('name', '=', name)
        .executeTakeFirst();
      return row
        ? { value: openSettingsText(name, row.value, sealer), stored: row.value, updatedAt: Number(row.updated_at) }
        : undefined;
    },

    /** Writes `next` (sealed) if the row still holds `expected`, as stored (undefined: if there is still no row). False if it changed. */
    async compareAndSet(
      name: SettingsName,
      expected: string | undefined,
      plain: string,
      now: number,
    ): Promise<boolean> {
      const next = sealSettingsText(name, plain, sealer);
      if (expected === undefined) {
        const inserted = await db
          .insertInto('settings')
          .values({ name, value: next, updated_at: now })
          .onConflict((oc) => oc.column('name').doNothing())
          .executeTakeFirst();
        return Number(inserted.numInsertedOrUpdatedRows ?? 0) === 1;
      }
      const updated = await db
        .updateTable('settings')
        .set({ value: next, updated_at: now })
        .where('name', '=', name)
        .where('value', '=', expected)
        .executeTakeFirst();
      return Number(updated.numUpdatedRows) === 1;
    },

    /** Sets the group's document, or removes it (undefined: defaults) whatever it held: a restore. */
    async replace(name: SettingsName, plain: string | undefined, now: number): Promise<void> {
      await db.deleteFrom('settings').where('name', '=', name).execute();
      if (plain !== undefined)
        await db
          .insertInto('settings')
          .values({ name, value: sealSettingsText(name, plain, sealer), updated_at: now })
          .execute();
    },

    async delete(name: SettingsName): Promise<void> {
      await db.deleteFrom('settings').where('name', '=', name).execute();
    },
  };
}

export type SettingsRepository = ReturnType<typeof createSettingsRepository>;

// Which fields of the stored settings documents are secrets: the webhook secret of `application`, and each media
// provider's bearer token and basic-auth password. Only those are sealed (src/lib/sealed-secrets.ts); the rest of
// a document stays readable JSON. A document that is not JSON is left as it is (the service reads it as defaults).
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
