// The registration of the business number: its verified name, certificate and shard count. Restoring it moves the
// number to this installation (docs/api/settings.md#restore: the old API restored onto a new machine): registered from
// now, `connecting` for the simulated handshake, then `connected`. A backup of another number is refused: this
// installation serves one number (WA_SANDBOX_BUSINESS_NUMBER), and its settings, contacts and messages assume it.
import type { Db } from '../../../db/database.js';
import { createAccountRepository } from '../../../db/repositories/account.js';
import type { Clock } from '../../../lib/clock.js';
import { MAX_CERT_CHARS } from '../../../lib/verified-name-cert.js';
import { SHARD_COUNTS, type BusinessNumber } from '../../account-rules.js';
import { CONNECT_DELAY_MS, registeredRow } from '../../account.js';
import { isPlainObject, type BackupSection } from '../section.js';

/** null: the number was not registered when the backup was made; a restore then leaves the registration alone. */
export type RegistrationBackup = {
  cc: string;
  phone_number: string;
  vname: string | null;
  cert: string | null;
  shards: number;
} | null;

export interface RegistrationSectionDeps {
  business: BusinessNumber;
  clock: Clock;
  account: { refresh(): Promise<void> };
  connectDelayMs?: number;
}

export function registrationSection({
  business,
  clock,
  account,
  connectDelayMs = CONNECT_DELAY_MS,
}: RegistrationSectionDeps): BackupSection<RegistrationBackup> {
  return {
    name: 'registration',
    async export(db: Db) {
      const row = await createAccountRepository(db).read();
      if (row?.state !== 'registered' || row.cc === null || row.phone_number === null) return null;
      return {
        cc: row.cc,
        phone_number: row.phone_number,
        vname: row.vname,
        cert: row.cert,
        shards: Number(row.shards),
      };
    },
    check: (value) => registrationProblem(value, business),
    async import(trx, value) {
      if (value === null) return;
      const now = clock.now();
      await createAccountRepository(trx).replace({
        ...registeredRow(business, now),
        vname: value.vname,
        cert: value.cert,
        shards: value.shards,
        connected_at: now + connectDelayMs,
      });
    },
    afterRestore: () => account.refresh(),
  };
}

function registrationProblem(value: unknown, business: BusinessNumber): string | null {
  if (value === null) return null;
  if (!isPlainObject(value) || typeof value.cc !== 'string' || typeof value.phone_number !== 'string')
    return 'is not a registration';
  if (`${value.cc}${value.phone_number}` !== business.waId) {
    return `is of the number +${value.cc}${value.phone_number}, and this server serves +${business.waId} (WA_SANDBOX_BUSINESS_NUMBER)`;
  }
  if (!(SHARD_COUNTS as readonly unknown[]).includes(value.shards))
    return `has no valid shard count (${SHARD_COUNTS.join(', ')})`;
  // Checked as strictly as POST /v1/account checks them: no control characters (PostgreSQL stores no NUL), base64.
  const vnameOk =
    value.vname === null ||
    (typeof value.vname === 'string' && value.vname.length <= 256 && !/\p{Cc}/u.test(value.vname));
  const certOk =
    value.cert === null ||
    (typeof value.cert === 'string' &&
      value.cert.length <= MAX_CERT_CHARS &&
      /^[A-Za-z0-9+/_-]+={0,2}$/.test(value.cert));
  if (!vnameOk || !certOk) return 'has no valid verified name or certificate';
  return null;
}
