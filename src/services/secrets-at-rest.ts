// Secrets at rest, at start-up: the node key is loaded (or made), then, after the migrations, the database is
// checked against it and any secret still in clear text is sealed.
//
// A start-up step rather than a numbered migration: a migration runs once, without the key (`openprem migrate`
// has no business holding it), whereas this runs at every start, so clear text written by a node of an older
// release during a rolling upgrade, or restored from an old dump, is sealed at the next start too. It is idempotent
// and runs in one transaction on either dialect.
//
// The database records the id of the key its secrets are sealed with (settings row `secrets_key`), from the first
// start on, before any secret exists. A node holding another key refuses to start with one line saying what to do,
// rather than serve without the webhook secret or the uploaded certificate, or seal new secrets other nodes cannot
// open. (Serving regardless and failing each read was the alternative: a cluster would then sign callbacks on some
// nodes only, which nobody notices until a receiver rejects them.) A lost key is recovered from with `openprem
// secrets forget`, which drops what cannot be opened any more (forgetUnreadableSecrets).
import { sql } from 'kysely';
import { ConfigError, type Config } from '../config.js';
import type { Db } from '../db/database.js';
import type { Dialect } from '../db/dialect.js';
import { sealSettingsText, storedSecretValues, type SettingsName } from '../db/repositories/settings.js';
import { ensurePrivateDirectory } from '../lib/private-files.js';
import { createSecretsSealer, isSealed, sealedKeyId, type SecretsSealer } from '../lib/sealed-secrets.js';
import { loadSecretsKey } from './secrets-key.js';

interface Log {
  info(obj: object, message: string): void;
  warn(obj: object, message: string): void;
}

const SEALED_GROUPS: readonly SettingsName[] = ['application', 'media_providers'];

/** The data directory made private (0700) and the node key loaded from WA_SECRETS_KEY or its file. */
export async function openSecretsSealer(
  config: Pick<Config, 'dataDir' | 'secretsKey'>,
  log: Log,
): Promise<SecretsSealer> {
  await ensurePrivateDirectory(config.dataDir, log);
  return createSecretsSealer(await loadSecretsKey(config.secretsKey, config.dataDir, log));
}

/** Refuses a database sealed with another key; seals clear-text secrets; records the key id on first start. */
export async function sealSecretsAtRest(
  db: Db,
  dialect: Dialect,
  sealer: SecretsSealer,
  log: Log,
  now: number,
): Promise<void> {
  // SQLite would keep the replaced clear text in the freed part of its pages and in the WAL: secure_delete zeroes
  // it while sealing, and the checkpoint below empties the WAL. (SQLite runs on one connection, so the pragma
  // applies to the transaction.) PostgreSQL keeps dead row versions until VACUUM; a dump never shows them.
  if (dialect === 'sqlite') await sql`PRAGMA secure_delete = ON`.execute(db);
  const sealed = await db.transaction().execute(async (trx) => {
    const rows = await trx.selectFrom('settings').select(['name', 'value']).execute();
    const external = await trx
      .selectFrom('certificates')
      .select('pem')
      .where('name', '=', 'external')
      .executeTakeFirst();
    const groups = rows.filter((row): row is { name: SettingsName; value: string } =>
      SEALED_GROUPS.includes(row.name as SettingsName),
    );
    const stored = [
      ...groups.flatMap((row) => storedSecretValues(row.name, row.value)),
      ...(external ? [external.pem] : []),
    ];
    const recorded = recordedKeyId(rows.find((row) => row.name === 'secrets_key')?.value);
    refuseOtherKey([recorded, ...stored.map(sealedKeyId)], sealer);

    let count = 0;
    for (const row of groups) {
      const clear = storedSecretValues(row.name, row.value).filter((value) => !isSealed(value)).length;
      if (clear === 0) continue;
      await trx
        .updateTable('settings')
        .set({ value: sealSettingsText(row.name, row.value, sealer) })
        .where('name', '=', row.name)
        .where('value', '=', row.value)
        .execute();
      count += clear;
    }
    if (external && !isSealed(external.pem)) {
      await trx
        .updateTable('certificates')
        .set({ pem: sealer.seal(external.pem) })
        .where('name', '=', 'external')
        .where('pem', '=', external.pem)
        .execute();
      count += 1;
    }
    if (recorded === null) {
      await trx
        .insertInto('settings')
        .values({ name: 'secrets_key', value: JSON.stringify({ key_id: sealer.keyId }), updated_at: now })
        .onConflict((oc) => oc.column('name').doNothing())
        .execute();
      // Two nodes with different keys starting on a fresh database at once: the insert of the second waited for
      // the first's commit and did nothing; re-reading the row tells this one which key won.
      const winner = await trx
        .selectFrom('settings')
        .select('value')
        .where('name', '=', 'secrets_key')
        .executeTakeFirst();
      refuseOtherKey([recordedKeyId(winner?.value)], sealer);
    }
    return count;
  });
  if (dialect === 'sqlite') {
    await sql`PRAGMA secure_delete = OFF`.execute(db);
    if (sealed > 0) await sql`PRAGMA wal_checkpoint(TRUNCATE)`.execute(db);
  }
  if (sealed > 0)
    log.warn({ sealed, keyId: sealer.keyId }, 'sealed secrets that were stored in clear text with the node key');
}

/**
 * After a lost key (`openprem secrets forget`): drops every stored secret this key cannot open (the webhook secret,
 * media providers whose credentials are unreadable, an uploaded certificate) and records this key, so that the
 * node starts and the secrets can be set again. Returns what was dropped, for the operator.
 */
export async function forgetUnreadableSecrets(db: Db, sealer: SecretsSealer, now: number): Promise<string[]> {
  const readable = (value: unknown) => typeof value !== 'string' || !isSealed(value) || opens(value, sealer);
  return db.transaction().execute(async (trx) => {
    const dropped: string[] = [];
    const rows = await trx.selectFrom('settings').select(['name', 'value']).execute();
    for (const row of rows) {
      // biome-ignore lint/suspicious/noExplicitAny: a stored JSON document of either settings shape, read through optional chains
      let document: any;
      try {
        document = JSON.parse(row.value);
      } catch {
        continue;
      }
      if (row.name === 'application' && !readable(document?.webhooks?.secret)) {
        document.webhooks.secret = null;
        dropped.push('the webhook secret');
      } else if (row.name === 'media_providers' && Array.isArray(document)) {
        const kept = document.filter(
          (provider) => readable(provider?.config?.bearer) && readable(provider?.config?.basic?.password),
        );
        dropped.push(
          ...document
            .filter((provider) => !kept.includes(provider))
            .map((provider) => `media provider "${provider?.name}"`),
        );
        document = kept;
      } else continue;
      await trx
        .updateTable('settings')
        .set({ value: JSON.stringify(document) })
        .where('name', '=', row.name)
        .execute();
    }
    const external = await trx
      .selectFrom('certificates')
      .select('pem')
      .where('name', '=', 'external')
      .executeTakeFirst();
    if (external && !readable(external.pem)) {
      await trx.deleteFrom('certificates').where('name', '=', 'external').execute();
      dropped.push('the uploaded certificate');
    }
    const marker = JSON.stringify({ key_id: sealer.keyId });
    await trx
      .insertInto('settings')
      .values({ name: 'secrets_key', value: marker, updated_at: now })
      .onConflict((oc) => oc.column('name').doUpdateSet({ value: marker }))
      .execute();
    return dropped;
  });
}

function opens(value: string, sealer: SecretsSealer): boolean {
  try {
    sealer.open(value);
    return true;
  } catch {
    return false;
  }
}

function refuseOtherKey(keyIds: readonly (string | null)[], sealer: SecretsSealer): void {
  const other = keyIds.find((id) => id !== null && id !== sealer.keyId);
  if (other === undefined) return;
  throw new ConfigError(
    'WA_SECRETS_KEY',
    `the database's secrets are sealed with key ${other}, but this node's key is ${sealer.keyId}: set the same WA_SECRETS_KEY on every node sharing the database (or copy secrets.key from the data directory of the node that made it); not starting (key lost for good: \`openprem secrets forget\`)`,
  );
}

function recordedKeyId(value: string | undefined): string | null {
  if (value === undefined) return null;
  try {
    const id = (JSON.parse(value) as { key_id?: unknown }).key_id;
    return typeof id === 'string' ? id : null;
  } catch {
    return null;
  }
}
