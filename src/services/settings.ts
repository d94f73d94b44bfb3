// The application settings and media providers, shared by every node on the database. The webhook dispatcher reads
// them on every pass, so `current()` answers from memory. A change made through another node applies here when its
// cluster notice arrives (`announce` there, src/cluster/), and at the latest at the timed re-read every `refreshMs`.
import type { SettingsName, SettingsRepository } from '../db/repositories/settings.js';
import type { Clock } from '../lib/clock.js';
import { ApiError } from '../errors.js';
import { SealedSecretError } from '../lib/sealed-secrets.js';
import { fail, ok, type Result } from '../lib/result.js';
import { upsertProviders, type MediaProvider } from './media-providers.js';
import {
  applyPatch,
  DEFAULT_SETTINGS,
  fromStored,
  type ApplicationSettings,
  type SettingsPatch,
  type StoredApplicationSettings,
} from './settings-rules.js';
import { coalescedRun } from '../lib/coalesced-run.js';
import { periodicRefresh } from '../lib/periodic-refresh.js';

export type { ApplicationSettings, MediaType, SettingsPatch } from './settings-rules.js';
export { wantsStatusCallback } from './settings-rules.js';
export type { MediaProvider } from './media-providers.js';

const DEFAULT_REFRESH_MS = 2000;
// Compare-and-set retries: each lost race means another node wrote in between; five in a row does not happen
// with people at keyboards, so it is answered as a retryable 503 rather than looping.
const WRITE_ATTEMPTS = 5;

export interface SettingsServiceDeps {
  repository: SettingsRepository;
  clock: Clock;
  /** The registered business number, shown read-only as `wa_id`. */
  businessWaId: string;
  refreshMs?: number;
  log?: { warn(obj: object, message: string): void; error(obj: object, message: string): void };
  /** Tells the other nodes that the application settings changed (they re-read them at once). */
  announce?: () => void;
}

export type SettingsListener = (next: ApplicationSettings, previous: ApplicationSettings) => void;

export function createSettingsService({
  repository,
  clock,
  businessWaId,
  refreshMs = DEFAULT_REFRESH_MS,
  log,
  announce,
}: SettingsServiceDeps) {
  const listeners = new Set<SettingsListener>();
  let current: ApplicationSettings = freeze({ ...structuredClone(DEFAULT_SETTINGS), wa_id: businessWaId });
  let currentText: string | undefined;
  // Bumped by every local write, so a refresh that read the row before the write cannot put the old value back.
  let generation = 0;

  function adopt(text: string | undefined, stored: StoredApplicationSettings): ApplicationSettings {
    currentText = text;
    const next = freeze({ ...stored, wa_id: businessWaId });
    const previous = current;
    current = next;
    if (JSON.stringify(previous) !== JSON.stringify(next)) {
      for (const listener of listeners) {
        try {
          listener(next, previous);
        } catch (error) {
          log?.warn({ err: error }, 'a settings listener failed');
        }
      }
    }
    return next;
  }

  /** A row someone edited by hand into something unreadable counts as defaults rather than stopping the node. */
  function parse(text: string | undefined): StoredApplicationSettings {
    try {
      return fromStored(text);
    } catch (error) {
      log?.warn({ err: error }, 'the stored application settings are not valid JSON; using the defaults');
      return fromStored(undefined);
    }
  }

  /** A secret this node cannot open (another node key) is a clear 500 on a request, never wrong settings. */
  async function read(name: SettingsName) {
    try {
      return await repository.read(name);
    } catch (error) {
      if (!(error instanceof SealedSecretError)) throw error;
      log?.error({ err: error, setting: name }, error.message);
      throw new ApiError(
        'generic',
        `the stored ${name} settings hold a secret this node cannot open: ${error.message}`,
      );
    }
  }

  async function refreshOnce(): Promise<void> {
    const started = generation;
    const row = await read('application');
    if (started !== generation || row?.value === currentText) return;
    adopt(row?.value, parse(row?.value));
  }
  // One re-read at a time (the timer, a cluster notice and GET may ask at once), each caller sharing one that starts
  // after its call: two overlapping reads could finish out of order and put the older row back over the newer one.
  const refresh = coalescedRun(refreshOnce);

  /** Read, change, compare-and-set; again from the top if another node wrote in between. */
  async function write<T>(
    name: SettingsName,
    decode: (text: string | undefined) => T,
    change: (value: T) => Result<T>,
  ): Promise<Result<T>> {
    for (let attempt = 0; attempt < WRITE_ATTEMPTS; attempt++) {
      const row = await read(name);
      const next = change(decode(row?.value));
      if (!next.ok) return next;
      const text = JSON.stringify(next.value);
      // Unchanged, or still all defaults with no row: nothing to write (and no row pinning today's defaults).
      const unchanged = text === (row?.value ?? JSON.stringify(decode(undefined)));
      if (unchanged || (await repository.compareAndSet(name, row?.stored, text, clock.now()))) {
        if (name === 'application') {
          generation++;
          adopt(unchanged ? row?.value : text, next.value as StoredApplicationSettings);
          if (!unchanged) announce?.();
        }
        return next;
      }
    }
    return fail('serviceNotReady', 'the settings were being changed by another request; retry', 1);
  }

  const readProviders = (text: string | undefined): MediaProvider[] =>
    text === undefined ? [] : (JSON.parse(text) as MediaProvider[]);

  const refresher = periodicRefresh(refresh, refreshMs, (error) =>
    log?.warn({ err: error }, 'could not re-read the application settings; keeping the last ones'),
  );
  return {
    /** The settings in force on this node, from memory: cheap enough for every webhook pass. Do not mutate. */
    current: (): ApplicationSettings => current,

    /** Reads the stored settings; called at start-up, before the app serves anything. */
    load: () => refresh(),

    /** Re-reads the row now, as the timer does every `refreshMs`. */
    refresh,

    /** A partial change: nested objects merge, absent fields stay; written, then in force here at once. */
    async patch(changes: SettingsPatch): Promise<Result<ApplicationSettings>> {
      const written = await write('application', parse, (base) => applyPatch(base, changes, businessWaId));
      return written.ok ? ok(current) : written;
    },

    /** Every application setting back to its default (DELETE /v1/settings/application). */
    async reset(): Promise<void> {
      await repository.delete('application');
      generation++;
      adopt(undefined, fromStored(undefined));
      announce?.();
    },

    /** Listens for any change of the settings in force, whichever node made it. Returns the unsubscribe. */
    onChange(listener: SettingsListener): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    /** The providers as stored (read from the database, so that an admin sees every node's last change). */
    async listProviders(): Promise<MediaProvider[]> {
      return readProviders((await read('media_providers'))?.value);
    },

    upsertProviders(changes: readonly MediaProvider[]): Promise<Result<MediaProvider[]>> {
      return write('media_providers', readProviders, (existing) => upsertProviders(existing, changes));
    },

    async deleteProvider(name: string): Promise<Result<MediaProvider[]>> {
      return write('media_providers', readProviders, (existing) => {
        const next = existing.filter((provider) => provider.name !== name);
        return next.length === existing.length ? fail('notFound', `no media provider is named "${name}"`) : ok(next);
      });
    },

    start: refresher.start,
    stop: refresher.stop,
  };
}

export type SettingsService = ReturnType<typeof createSettingsService>;

function freeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const child of Object.values(value)) freeze(child);
    Object.freeze(value);
  }
  return value;
}
