// Translates the webhooks Meta posted (stored by POST /cloud/webhook before Meta got its 200) into On-Prem
// callbacks. Webhooks are claimed with a lease, translated outside any transaction (media may be fetched from
// Graph), then written in one transaction with their dedupe keys, messages and statuses, callbacks and `processed`
// marks: a crash at any point leaves them pending, to be translated again, and the keys make sure nothing is
// announced twice, across Meta's retries and across nodes whose leases overlapped.
import { createHash } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { Logger } from 'pino';
import type { Db } from '../../../db/database.js';
import type { Database } from '../../../db/schema.js';
import {
  markCloudWebhookProcessed,
  recordNewKeys,
  type ClaimedCloudWebhook,
  type CloudWebhooksRepository,
} from '../../../db/repositories/cloud-webhooks.js';
import { cloudWebhookRetry } from '../../../lib/backoff.js';
import type { Clock } from '../../../lib/clock.js';
import { createPassLoop, dueIn } from '../../../lib/pass-loop.js';
import type { Metrics } from '../../../metrics.js';
import type { MessageChanges, MessagesRepository } from '../../../db/repositories/messages.js';
import type { InboxDeps } from '../../../services/messages/inbox.js';
import { countMessages } from '../../../services/messages/message-metrics.js';
import type { ApplicationSettings } from '../../../services/settings.js';
import { applyInboundEvents, type Applied } from './apply.js';
import { MediaAdoptionError, type AdoptInboundMedia } from './messages.js';
import { translateCloudWebhook, type IgnoredReason, type InboundEvent } from './translator.js';

// 20 webhooks a claim, written in one transaction (see commitAll). Measured on the 2-core reference machine, one
// text message per webhook, translation alone: PostgreSQL 79 webhooks/s one transaction each, 211/s by 20, 383/s
// by 100; SQLite ~1,660/s by 20 or 100. Not 100: the batch's media are fetched one after another first, and 100
// of them could outlast the lease.
const BATCH = 20;
// 2 minutes: above a payload whose few media files each take Graph's 15 s timeout; a dead node's claim ends then.
const LEASE_MS = 120_000;
const IDLE_MS = 1000;
// 5 ms: a webhook reaches the integration at once; a burst of Meta's posts still shares passes.
const WAKE_DELAY_MS = 5;
// After 12 attempts (about an hour of a failing media fetch) the message goes out with its file undownloaded, as
// On-Prem announced a file it did not download, rather than being held any longer.
export const MEDIA_ATTEMPTS = 12;

export interface CloudInboundDeps {
  db: Db;
  repository: CloudWebhooksRepository;
  phoneNumberId: string;
  settings: { current(): ApplicationSettings };
  adoptInboundMedia: AdoptInboundMedia;
  identities?: InboxDeps['identities'];
  clock: Clock;
  metrics: Metrics;
  log: Logger;
  /** Callbacks were written: the webhook dispatcher can go. */
  onCallbacks(): void;
  /** Hears of the messages a committed batch stored or moved on (the messages repository's `committed`). */
  changes: MessageChanges;
  /** Where the batch stores inbound messages and moves statuses, in its transaction. */
  messages: MessagesRepository;
}

interface Prepared {
  row: ClaimedCloudWebhook;
  /** The dedupe key of the whole webhook. */
  payload: string;
  /** null: a repeat of a webhook already translated, or a row that is not JSON. */
  events: InboundEvent[] | null;
}

const payloadKey = (body: string) => `p:${createHash('sha256').update(body).digest('hex')}`;
const keyOf = (event: InboundEvent) => (event.kind === 'error' ? null : event.key);
const LABEL = /^[a-z0-9_.]{1,80}$/;

export function createCloudInboundWorker(deps: CloudInboundDeps) {
  const { db, repository, clock, metrics, log } = deps;

  function ignored(reason: IgnoredReason, detail: string): void {
    metrics.cloudWebhookIgnored.inc({ reason });
    log.debug({ reason, detail }, 'cloud webhook: not forwarded');
  }

  function dropped(field: string): void {
    metrics.cloudWebhookUnforwardedFields.inc({ field: LABEL.test(field) ? field : 'other' });
    log.debug({ field }, 'cloud webhook: a field On-Prem never delivered is left out');
  }

  async function translate(row: ClaimedCloudWebhook, settings: ApplicationSettings): Promise<InboundEvent[] | null> {
    let body: unknown;
    try {
      body = JSON.parse(row.body);
    } catch {
      // The route stores only JSON; a row that is not (edited by hand) would otherwise be retried for ever.
      ignored('malformed', `stored webhook ${row.id} is not JSON`);
      return null;
    }
    return translateCloudWebhook(body, {
      phoneNumberId: deps.phoneNumberId,
      media: {
        adopt: deps.adoptInboundMedia,
        autoDownload: settings.media.auto_download,
        mediaGivenUp: row.attempts >= MEDIA_ATTEMPTS,
      },
      notifyChangedNumber: settings.notify_user_change_number,
      seenAmong: (keys) => repository.seenAmong(keys),
      ignored,
      dropped,
    });
  }

  /** Translation before any transaction: media may be fetched from Graph. null events: nothing to forward. */
  async function prepare(
    row: ClaimedCloudWebhook,
    repeated: boolean,
    settings: ApplicationSettings,
  ): Promise<Prepared> {
    // Meta's retry of a whole webhook is dropped before any media is fetched for it.
    return { row, payload: payloadKey(row.body), events: repeated ? null : await translate(row, settings) };
  }

  /** One webhook's writes, in the caller's transaction; answers how many callbacks were written and what to count. */
  async function commit(
    trx: Transaction<Database>,
    prepared: Prepared,
    settings: ApplicationSettings,
    now: number,
  ): Promise<Applied> {
    const { row, payload, events } = prepared;
    const fresh = await recordNewKeys(trx, [payload, ...(events ?? []).flatMap((e) => keyOf(e) ?? [])], now);
    let applied: Applied = { written: 0, counts: [], changed: [] };
    if (!fresh.has(payload)) ignored('duplicate', `webhook ${row.id} repeats one already translated`);
    else if (events) {
      // A key is fresh once: an event Meta listed twice in one webhook goes out once, like one repeated in another
      // webhook (a message stored twice would even fail the whole webhook on its primary key).
      const kept = events.filter((event) => keyOf(event) === null || fresh.delete(keyOf(event)!));
      if (kept.length < events.length)
        ignored('duplicate', `${events.length - kept.length} events of webhook ${row.id} were forwarded before`);
      applied = await applyInboundEvents(trx, kept, {
        settings,
        messages: deps.messages,
        identities: deps.identities,
        now,
      });
    }
    await markCloudWebhookProcessed(trx, row.id, now);
    return applied;
  }

  /** Counts and announces what a committed transaction applied; answers how many callbacks it wrote. */
  function committed(applied: Applied[]): number {
    let written = 0;
    for (const { written: callbacks, counts, changed } of applied) {
      countMessages(metrics, counts);
      deps.changes.committed(changed);
      written += callbacks;
    }
    return written;
  }

  /**
   * The batch's webhooks in one transaction: on PostgreSQL each commit costs a WAL flush (~12 ms a webhook alone on
   * the reference machine), so one commit for the batch is what keeps up with Meta's bursts (see BATCH). If the
   * batch cannot be written, each webhook is written alone, so that one bad webhook holds back only itself.
   */
  async function commitAll(batch: Prepared[], settings: ApplicationSettings): Promise<number> {
    const now = clock.now();
    try {
      const applied = await db.transaction().execute(async (trx) => {
        const all: Applied[] = [];
        for (const prepared of batch) all.push(await commit(trx, prepared, settings, now));
        return all;
      });
      return committed(applied);
    } catch (error) {
      // Alone, the webhook is retried later (see pass).
      if (batch.length === 1) throw error;
      log.warn({ err: error }, 'cloud webhooks not written together; writing each alone');
    }
    let written = 0;
    for (const prepared of batch) {
      written += await db
        .transaction()
        .execute((trx) => commit(trx, prepared, settings, now))
        .then(
          (applied) => committed([applied]),
          async (error: unknown) => {
            await retryLater(prepared.row, error);
            return 0;
          },
        );
    }
    return written;
  }

  async function retryLater(row: ClaimedCloudWebhook, error: unknown): Promise<void> {
    const delay = cloudWebhookRetry(row.attempts);
    const media = error instanceof MediaAdoptionError;
    log[media ? 'warn' : 'error'](
      { err: error, webhook: row.id, attempts: row.attempts, retryInMs: delay },
      'cloud webhook not translated; retrying',
    );
    await repository.retryAt(row.id, clock.now() + delay, (error as Error)?.message ?? String(error));
  }

  async function pass(): Promise<number> {
    const claimed = await repository.claimDue(clock.now(), BATCH, LEASE_MS);
    if (claimed.length === 0) return 0;
    const settings = deps.settings.current();
    const repeated = await repository.seenAmong(claimed.map((row) => payloadKey(row.body)));
    const batch: Prepared[] = [];
    for (const row of claimed) {
      await prepare(row, repeated.has(payloadKey(row.body)), settings).then(
        (prepared) => batch.push(prepared),
        (error: unknown) => retryLater(row, error),
      );
    }
    const written =
      batch.length === 0
        ? 0
        : await commitAll(batch, settings).catch(async (error: unknown) => {
            await retryLater(batch[0]!.row, error);
            return 0;
          });
    if (written > 0) deps.onCallbacks();
    return claimed.length;
  }

  const loop = createPassLoop({
    pass: async () => (await pass()) === BATCH,
    nextDueIn: dueIn(() => repository.nextDueAt(), clock),
    idleMs: IDLE_MS,
    wakeDelayMs: WAKE_DELAY_MS,
    onError: (error) =>
      log.error({ err: error }, 'cloud webhook pass failed; the webhooks stay pending and are retried'),
  });

  return {
    start: () => loop.start(),
    /** A webhook was stored: translate it soon. */
    wake: () => loop.wake(),
    /** Translates everything due at the clock's current time, for tests and tools. */
    runOnce: () => loop.drain(),
    stop: () => loop.stop(),
  };
}

export type CloudInboundWorker = ReturnType<typeof createCloudInboundWorker>;
