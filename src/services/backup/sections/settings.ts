// The application settings and the media providers, as stored. The webhook secret and the providers' credentials
// travel with them: they are settings (the old API's backup carried every setting), and without them a restored
// installation would sign no callbacks and fetch no media until someone typed them in again. The backup is
// encrypted for that reason. In the database they are sealed with the node key; the backup carries them opened
// (under the backup password only), so that an installation with another node key can restore it, and the
// restore seals them again with its own key.
import type { Db } from '../../../db/database.js';
import { createSettingsRepository, type SettingsName } from '../../../db/repositories/settings.js';
import type { Clock } from '../../../lib/clock.js';
import type { SecretsSealer } from '../../../lib/sealed-secrets.js';
import { upsertProviders, type MediaProvider } from '../../media-providers.js';
import {
  applyPatch,
  DEFAULT_SETTINGS,
  type SettingsPatch,
  type StoredApplicationSettings,
} from '../../settings-rules.js';
import { isPlainObject, type BackupSection } from '../section.js';

/** null: the group was never changed (defaults). */
export interface SettingsBackup {
  application: StoredApplicationSettings | null;
  media_providers: MediaProvider[] | null;
}

export function settingsSection(
  clock: Clock,
  settings: { refresh(): Promise<void> },
  sealer: SecretsSealer,
): BackupSection<SettingsBackup> {
  return {
    name: 'settings',
    async export(db: Db) {
      const repository = createSettingsRepository(db, sealer);
      return {
        application: readJson((await repository.read('application'))?.value) as StoredApplicationSettings | null,
        media_providers: readJson((await repository.read('media_providers'))?.value) as MediaProvider[] | null,
      };
    },
    check: settingsProblem,
    async import(trx, value) {
      const repository = createSettingsRepository(trx, sealer);
      const now = clock.now();
      for (const name of ['application', 'media_providers'] as const satisfies readonly SettingsName[]) {
        await repository.replace(name, value[name] === null ? undefined : JSON.stringify(value[name]), now);
      }
    },
    afterRestore: () => settings.refresh(),
  };
}

/** A document the settings service would read as defaults (not JSON) is backed up as defaults, as it reads it. */
function readJson(text: string | undefined): unknown {
  if (text === undefined) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

function settingsProblem(value: unknown): string | null {
  if (!isPlainObject(value)) return 'is not an object';
  const unknown = Object.keys(value).find((key) => key !== 'application' && key !== 'media_providers');
  if (unknown !== undefined) return `holds an unknown group ${unknown}`;
  if (value.application !== null && value.application !== undefined) {
    const problem = shapeProblem(value.application, DEFAULT_SETTINGS, 'application.');
    if (problem) return problem;
    // The same value checks as a PATCH: ranges, URL, backoff not above its cap.
    const patched = applyPatch(DEFAULT_SETTINGS, value.application as SettingsPatch, '');
    if (!patched.ok) return `application: ${patched.error.details ?? patched.error.message}`;
  }
  if (value.media_providers !== null && value.media_providers !== undefined) {
    if (!Array.isArray(value.media_providers) || !value.media_providers.every(isProvider))
      return 'media_providers is not a list of media providers';
    const upserted = upsertProviders([], value.media_providers);
    if (!upserted.ok) return `media_providers${upserted.error.details ?? ''}`;
  }
  return null;
}

/** Every key is a setting and has its default's type; null defaults (url, secret, legacy fields) take scalars. */
function shapeProblem(value: unknown, model: object, path: string): string | null {
  if (!isPlainObject(value)) return `${path.slice(0, -1)} is not an object`;
  for (const [key, child] of Object.entries(value)) {
    if (!(key in model)) return `${path}${key} is not a setting`;
    const expected = (model as Record<string, unknown>)[key];
    if (expected === null) {
      if (child !== null && typeof child !== 'string' && typeof child !== 'boolean')
        return `${path}${key} is not valid`;
    } else if (Array.isArray(expected)) {
      if (!Array.isArray(child) || !child.every((item) => typeof item === 'string'))
        return `${path}${key} is not a list of strings`;
    } else if (isPlainObject(expected)) {
      const problem = shapeProblem(child, expected, `${path}${key}.`);
      if (problem) return problem;
    } else if (typeof child !== typeof expected) {
      return `${path}${key} must be a ${typeof expected}`;
    }
  }
  return null;
}

function isProvider(value: unknown): value is MediaProvider {
  if (!isPlainObject(value) || typeof value.name !== 'string' || value.type !== 'www' || !isPlainObject(value.config))
    return false;
  const { bearer, basic } = value.config;
  if (bearer !== undefined) return typeof bearer === 'string';
  return isPlainObject(basic) && typeof basic.username === 'string' && typeof basic.password === 'string';
}
