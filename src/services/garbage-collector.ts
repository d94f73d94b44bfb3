// The garbage collector (docs/api/settings.md#garbage-collection): forgets, in small batches, messages older than the
// retention that nothing will change any more, webhook deliveries that ended (the delivery log is kept for
// WA_RETENTION_WEBHOOKS_DAYS), expired conversations, and the cloud gateway's translated webhooks and dedupe keys once
// past Meta's retry horizon. `garbagecollector_enable.messages: false` keeps every message and conversation, as
// On-Prem's switch did during big campaigns; the delivery log is always collected.
import type { Logger } from 'pino';
import type { RetentionRepository } from '../db/repositories/retention.js';
import type { Clock } from '../lib/clock.js';
import { createPassLoop } from '../lib/pass-loop.js';
import type { Metrics } from '../metrics.js';
import type { SettingsService } from './settings.js';

const DAY_MS = 24 * 60 * 60 * 1000;
// 1,000 rows: a few ms of write lock per batch on SQLite, so requests interleave with a large backlog's cleanup.
const BATCH = 1000;
// Once a minute is ample for data kept for days; a backlog is worked through batch after batch without waiting.
const IDLE_MS = 60_000;
// Meta retries a webhook for up to 7 days (docs/api/cloud-bridge.md#translation): a dedupe key older than that can no
// longer match a retry, and a translated webhook is kept as long for inspection.
const CLOUD_RETRY_HORIZON_MS = 7 * DAY_MS;

interface RetentionDays {
  readonly messages: number;
  readonly webhooks: number;
}

export interface GarbageCollectorDeps {
  retention: RetentionRepository;
  settings: Pick<SettingsService, 'current'>;
  clock: Clock;
  days: RetentionDays;
  metrics: Metrics;
  log: Logger;
}

export type CollectedCounts = Record<
  'messages' | 'webhook_deliveries' | 'conversations' | 'cloud_webhooks' | 'cloud_webhook_keys',
  number
>;

export function createGarbageCollector(deps: GarbageCollectorDeps) {
  const { retention, clock, days, metrics } = deps;

  /** One batch of each kind; answers what went. `forceMessages` collects messages even while the switch is off. */
  async function collectBatch(forceMessages = false): Promise<CollectedCounts> {
    const now = clock.now();
    const collectMessages = forceMessages || deps.settings.current().garbagecollector_enable.messages;
    const counts: CollectedCounts = {
      webhook_deliveries: await retention.deleteEndedDeliveries(now - days.webhooks * DAY_MS, BATCH),
      messages: collectMessages ? await retention.deleteFinishedMessages(now - days.messages * DAY_MS, BATCH) : 0,
      conversations: collectMessages
        ? await retention.deleteExpiredConversations(now - days.messages * DAY_MS, BATCH)
        : 0,
      cloud_webhooks: await retention.deleteProcessedCloudWebhooks(now - CLOUD_RETRY_HORIZON_MS, BATCH),
      cloud_webhook_keys: await retention.deleteCloudWebhookKeys(now - CLOUD_RETRY_HORIZON_MS, BATCH),
    };
    for (const [kind, count] of Object.entries(counts)) if (count > 0) metrics.gcDeleted.inc({ kind }, count);
    return counts;
  }

  const loop = createPassLoop({
    pass: async () => Object.values(await collectBatch()).some((count) => count === BATCH),
    nextDueIn: async () => null,
    idleMs: IDLE_MS,
    wakeDelayMs: 0,
    onError: (error) => deps.log.warn({ err: error }, 'garbage collection failed; retrying in a minute'),
  });

  return {
    start: () => loop.start(),
    stop: () => loop.stop(),
    /**
     * Collects until nothing old is left; answers the totals (tests, and an operator's one-off run: PUT
     * /v1/services/message/gc, which passes forceMessages since `garbagecollector_enable.messages` switches off the
     * automatic collection, not a run asked for by hand).
     */
    async collectAll({ forceMessages = false } = {}): Promise<CollectedCounts> {
      const total: CollectedCounts = {
        messages: 0,
        webhook_deliveries: 0,
        conversations: 0,
        cloud_webhooks: 0,
        cloud_webhook_keys: 0,
      };
      for (;;) {
        const batch = await collectBatch(forceMessages);
        for (const kind of Object.keys(total) as (keyof CollectedCounts)[]) total[kind] += batch[kind];
        if (!Object.values(batch).some((count) => count === BATCH)) return total;
      }
    },
  };
}

export type GarbageCollector = ReturnType<typeof createGarbageCollector>;
