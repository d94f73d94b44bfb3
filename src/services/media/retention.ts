// The media retention pass (docs/api/media.md#retention), every WA_MEDIA_GC_INTERVAL_MS on the node holding the leader
// lease (src/cluster/). While `garbagecollector_enable.media` is on (off by default; the old API's documentation:
// "media storage needs to be handled by the business"), media older than WA_MEDIA_RETENTION_DAYS (30: the same
// documentation's "outgoing media generally safe to remove after 30 days") are deleted, uploads and downloaded inbound
// media alike. Whatever the setting, it finishes the media journal: blobs whose removal a node did not complete, and
// uploads abandoned by a node that died mid-way. Ages come from the injected clock. Two nodes' passes may race; every
// step is idempotent and a row is deleted by one of them only.
import type { MediaRepository } from '../../db/repositories/media.js';
import type { Clock } from '../../lib/clock.js';
import { createPassLoop } from '../../lib/pass-loop.js';
import type { MediaService } from './media-service.js';

// 100 media a pass: each is a transaction and a file removal; a backlog is taken in back-to-back passes.
const BATCH = 100;
// An upload is abandoned after an hour: Node ends a request after 5 minutes (server.requestTimeout), so a live
// upload is never that old.
export const ABANDONED_UPLOAD_MS = 60 * 60 * 1000;

export interface MediaRetentionDeps {
  media: MediaService;
  repository: MediaRepository;
  settings: { current(): { garbagecollector_enable: { media: boolean } } };
  clock: Clock;
  retentionMs: number;
  intervalMs: number;
  log: { error(obj: object, message: string): void };
}

export function createMediaRetention(deps: MediaRetentionDeps) {
  const { media, repository, clock } = deps;

  /** One pass; answers how many media and journal entries it handled. */
  async function pass(): Promise<number> {
    const now = clock.now();
    let handled = 0;
    if (deps.settings.current().garbagecollector_enable.media) {
      for (const id of await repository.createdBefore(now - deps.retentionMs, BATCH)) {
        if (await media.remove(id)) handled++;
      }
    }
    for (const entry of await repository.pendingToFinish(now - ABANDONED_UPLOAD_MS, BATCH)) {
      if (await media.finish(entry.storage_key)) handled++;
    }
    return handled;
  }

  const loop = createPassLoop({
    pass: async () => (await pass()) >= BATCH,
    nextDueIn: async () => null,
    idleMs: deps.intervalMs,
    wakeDelayMs: 0,
    onError: (error) =>
      deps.log.error({ err: error }, 'media retention pass failed; it runs again at the next interval'),
  });

  return {
    start: () => loop.start(),
    stop: () => loop.stop(),
    /** One pass at the clock's current time, for tests and tools. */
    async runOnce(): Promise<number> {
      await loop.settled();
      return pass();
    },
  };
}

export type MediaRetention = ReturnType<typeof createMediaRetention>;
