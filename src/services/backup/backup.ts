// POST /v1/settings/backup and /restore (docs/api/settings.md#backup-and-restore): the installation's configuration
// (settings, users, templates, registration; the sections of sections.ts), never messages or callbacks, sealed with the
// password (src/lib/backup-crypto.ts). A restore opens and checks the whole backup before it writes, then writes every
// section in one transaction: a wrong password, an altered blob or a section that fails its check changes nothing.
import type { Db } from '../../db/database.js';
import { openBackup, sealBackup } from '../../lib/backup-crypto.js';
import type { Clock } from '../../lib/clock.js';
import { jsonNestsDeeperThan } from '../../lib/json-depth.js';
import { fail, ok, type Result } from '../../lib/result.js';
import { isPlainObject, type BackupSection } from './section.js';

// The old API's documentation gives the backup password no rules (the login rules of
// docs/api/users-and-auth.md#accounts are for user passwords), and old clients' backup scripts must keep working: any
// password of 1 to 1,024 characters (docs/api/settings.md#back-up). The bound caps scrypt's input.
const BACKUP_PASSWORD_MAX = 1024;
const PAYLOAD_FORMAT = 'openprem-backup';

export interface BackupServiceDeps {
  db: Db;
  sections: readonly BackupSection[];
  clock: Clock;
  productVersion: string;
  log: { warn(obj: object, message: string): void };
}

interface Payload {
  format: typeof PAYLOAD_FORMAT;
  created_at: number;
  server: string;
  sections: Record<string, unknown>;
}

export function createBackupService({ db, sections, clock, productVersion, log }: BackupServiceDeps) {
  async function exportSections(): Promise<Record<string, unknown>> {
    // One snapshot for every section: repeatable read on PostgreSQL; SQLite's transaction is one already.
    return db
      .transaction()
      .setIsolationLevel('repeatable read')
      .execute(async (trx) => {
        const exported: Record<string, unknown> = {};
        for (const section of sections) exported[section.name] = await section.export(trx);
        return exported;
      });
  }

  /** The sections a payload holds, checked, or why it cannot be restored here. */
  function readPayload(bytes: Buffer): Result<Map<BackupSection, unknown>> {
    let payload: Payload;
    try {
      // Sealed with the password, yet written by whoever knows it: its depth is bounded like a request body's.
      const text = bytes.toString('utf8');
      if (jsonNestsDeeperThan(text)) return fail('invalidParameter', 'data does not hold a readable backup');
      payload = JSON.parse(text) as Payload;
    } catch {
      return fail('invalidParameter', 'data does not hold a readable backup');
    }
    if (!isPlainObject(payload) || payload.format !== PAYLOAD_FORMAT || !isPlainObject(payload.sections)) {
      return fail('invalidParameter', 'data does not hold a readable backup');
    }
    const known = new Map(sections.map((section) => [section.name, section]));
    const unknown = Object.keys(payload.sections).filter((name) => !known.has(name));
    if (unknown.length > 0)
      return fail(
        'invalidParameter',
        `data holds sections this server does not know (${unknown.join(', ')}): it was made by a newer server`,
      );
    const present = new Map<BackupSection, unknown>();
    for (const section of sections) {
      if (!(section.name in payload.sections)) continue;
      const value = payload.sections[section.name];
      const problem = section.check(value);
      if (problem) return fail('invalidParameter', `data cannot be restored: ${section.name} ${problem}`);
      present.set(section, value);
    }
    return ok(present);
  }

  return {
    async create(password: string): Promise<Result<string>> {
      const problem = passwordProblem(password);
      if (problem) return problem;
      const payload: Payload = {
        format: PAYLOAD_FORMAT,
        created_at: clock.now(),
        server: `OpenPrem/${productVersion}`,
        sections: await exportSections(),
      };
      return ok(await sealBackup(Buffer.from(JSON.stringify(payload), 'utf8'), password));
    },

    async restore(password: string, data: string): Promise<Result<void>> {
      const problem = passwordProblem(password);
      if (problem) return problem;
      const opened = await openBackup(data, password);
      if (!opened.ok) return opened;
      const checked = readPayload(opened.value);
      if (!checked.ok) return checked;
      await db.transaction().execute(async (trx) => {
        for (const [section, value] of checked.value) await section.import(trx, value);
      });
      // Committed: what follows only refreshes memory, and a failure there is bounded by the refresh timers.
      for (const section of checked.value.keys()) {
        try {
          await section.afterRestore?.();
        } catch (error) {
          log.warn(
            { err: error, section: section.name },
            "restored, but could not refresh this node's copy; it refreshes on its timer",
          );
        }
      }
      return ok(undefined);
    },
  };
}

export type BackupService = ReturnType<typeof createBackupService>;

function passwordProblem(password: string): Result<never> | null {
  if (password.length === 0 || password.length > BACKUP_PASSWORD_MAX) {
    return fail('invalidParameter', `password must be 1 to ${BACKUP_PASSWORD_MAX} characters long`);
  }
  return null;
}
