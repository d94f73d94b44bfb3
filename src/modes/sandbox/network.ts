// The simulated network's engine. Every effect of a send is a row of scheduled_effects: the hand-off (`send`),
// then `sent`, `delivered` and `read` at their simulated times. A pass reads due effects, decides them, then in
// one transaction deletes them, applies them and writes the status callbacks they cause: a restart resumes the
// simulation where it stopped, and a node that dies mid-pass rolls back, losing nothing. Two passes that read the
// same effects (two nodes) apply each once: only the pass whose DELETE removed it applies it. The loop runs on the
// node holding the leader lease (src/cluster/); the others wake it through the cluster bus when they accept a send.
import type { Transaction } from 'kysely';
import type { SandboxDelays } from '../../config.js';
import type { Db } from '../../db/database.js';
import type { Database } from '../../db/schema.js';
import type { ClaimedEffect, MessageRow, MessagesRepository, NewEffect } from '../../db/repositories/messages.js';
import { enqueueWebhooks } from '../../db/repositories/webhook-outbox.js';
import type { Clock } from '../../lib/clock.js';
import type { Metrics } from '../../metrics.js';
import { createPassLoop, dueIn } from '../../lib/pass-loop.js';
import type { WaId } from '../../lib/phone.js';
import { countMessages } from '../../services/messages/message-metrics.js';
import { recordStatuses, type ObservedStatus } from '../../services/messages/statuses.js';
import { readStoredOutbound } from '../../services/messages/stored.js';
import type { ApplicationSettings, MediaProvider } from '../../services/settings.js';
import type { SandboxDirectory, VirtualCustomer } from './directory.js';
import { providerAuthorization, type LinkChecker } from './media-links.js';
import type { MediaKind } from '../../services/media/media-rules.js';
import { decideSend, type SendDecision, type TemplateChecker } from './send-decision.js';

const unique = <T>(values: T[]): T[] => [...new Set(values)];

/** Calls `read` once per key within one pass. */
function memoise<T>(read: (key: string) => Promise<T>): (key: string) => Promise<T> {
  const seen = new Map<string, Promise<T>>();
  return (key) => {
    let value = seen.get(key);
    if (!value) {
      value = read(key);
      seen.set(key, value);
    }
    return value;
  };
}

// 500 effects a pass: one transaction of a few milliseconds on SQLite, so API writes never wait long behind it.
const BATCH = 500;
// The longest a pass waits when nothing is due; a send wakes it within WAKE_DELAY_MS.
const IDLE_POLL_MS = 1000;
// 10 ms lets a pass carry the sends of many requests (one transaction, one commit for all), and is small next to
// the default 100 ms before `sent`.
const WAKE_DELAY_MS = 10;

export interface SandboxNetworkDeps {
  db: Db;
  messages: MessagesRepository;
  directory: SandboxDirectory;
  templates: TemplateChecker;
  links: LinkChecker;
  settings: { current(): ApplicationSettings; listProviders(): Promise<MediaProvider[]> };
  clock: Clock;
  delays: SandboxDelays;
  log: { error(obj: object, message: string): void };
  metrics: Metrics;
  /** Callbacks were written: the webhook dispatcher can go. */
  onCallbacks(): void;
  /** Recipients whose changed identity is not acknowledged: their sends fail (480). */
  identities?: { blockedAmong(waIds: readonly string[]): Promise<Set<string>> };
}

export function createSandboxNetwork(deps: SandboxNetworkDeps) {
  const { db, messages, directory, clock, delays } = deps;

  /**
   * Effects that follow a message the network accepted, at their simulated times. Receipts are scheduled even for
   * a customer offline now: if still offline when they fall due they are dropped (see receives), and coming
   * online reschedules them (see customerChanged).
   */
  function afterAcceptance(row: MessageRow, customer: VirtualCustomer, from: number): NewEffect[] {
    const at = (delay: number) => Math.max(from, Number(row.created_at) + delay);
    const effects: NewEffect[] = [
      { message_id: row.id, kind: 'sent', due_at: at(delays.sent) },
      ...receipts(row.id, customer, at(delays.delivered), at(delays.read)),
    ];
    const ttl = readStoredOutbound(row.content).message.ttl;
    if (typeof ttl === 'number')
      effects.push({ message_id: row.id, kind: 'expire', due_at: Number(row.created_at) + ttl * 1000 });
    return effects;
  }

  function receipts(messageId: string, customer: VirtualCustomer, deliveredAt: number, readAt: number): NewEffect[] {
    const effects: NewEffect[] = [{ message_id: messageId, kind: 'delivered', due_at: deliveredAt }];
    if (customer.read_receipts) effects.push({ message_id: messageId, kind: 'read', due_at: readAt });
    return effects;
  }

  async function pass(): Promise<number> {
    const now = clock.now();
    const effects = await messages.dueEffects(now, BATCH);
    if (effects.length === 0) return 0;
    // Everything the pass reads before its transaction comes first: on SQLite the transaction holds the only
    // connection. Only a hand-off needs its message before then (its decision may fetch a media link); every
    // message is read once, inside the transaction (3 of 4 effects are statuses: reading them twice was 54 µs a
    // message on the send bench).
    const sends = await messages.findMany(unique(effects.filter((e) => e.kind === 'send').map((e) => e.message_id)));
    const customers = new Map(
      (await directory.getMany(unique(effects.flatMap((e) => (e.wa_id === null ? [] : [e.wa_id as WaId]))))).map(
        (c) => [c.wa_id as string, c],
      ),
    );
    const decided = await decideSends(effects, new Map(sends.map((r) => [r.id, r])), customers);
    const settings = deps.settings.current();
    const { counts, changed } = await db.transaction().execute(async (trx) => {
      const taken = await messages.takeEffects(effects, trx);
      const applied = effects.filter((e) => taken.has(e.id));
      // Read now, and locked on PostgreSQL: another node's pass may have changed these messages since this one
      // began (its `delivered` committed while this pass holds the `read`): an older copy would see `sent` and drop
      // the read receipt. Seen as lost read callbacks with three nodes and 50 ms between delivered and read.
      const rows = new Map(
        (await messages.lockedRows(unique(applied.map((e) => e.message_id)), trx)).map((r) => [r.id, r]),
      );
      const { changes, scheduled } = await applyEffects(trx, applied, rows, customers, decided);
      const recorded = await recordStatuses(trx, rows, changes, { settings, messages });
      await enqueueWebhooks(trx, recorded.callbacks, now);
      await messages.schedule(scheduled, trx);
      return recorded;
    });
    countMessages(deps.metrics, counts);
    messages.committed(changed);
    deps.onCallbacks();
    return effects.length;
  }

  /**
   * The `send` effects' decisions, side by side: a slow media link delays its own message, not the others. A
   * decision that fails (a value the database refuses, say) fails its own message, never the whole pass.
   */
  async function decideSends(
    effects: ClaimedEffect[],
    rows: Map<string, MessageRow>,
    customers: Map<string, VirtualCustomer>,
  ) {
    const lastInbound = memoise((waId: string) => messages.lastInboundAt(waId));
    let providers: Promise<MediaProvider[]> | null = null;
    const fetchLink = async (url: string, providerName: string | null, kind: MediaKind) => {
      if (providerName === null) return deps.links.check(url, kind);
      providers ??= deps.settings.listProviders();
      const provider = (await providers).find((p) => p.name === providerName);
      if (!provider)
        return `no media provider named "${providerName}" is configured (/v1/settings/application/media/providers)`;
      return deps.links.check(url, kind, providerAuthorization(provider));
    };
    const recipients = [
      ...new Set(effects.filter((e) => e.kind === 'send').flatMap((e) => rows.get(e.message_id)?.wa_id ?? [])),
    ];
    const blocked =
      deps.identities && recipients.length > 0 ? await deps.identities.blockedAmong(recipients) : new Set<string>();
    const pending = effects.flatMap((effect) => {
      const row = rows.get(effect.message_id);
      const customer = row && customers.get(row.wa_id);
      if (effect.kind !== 'send' || !row || !customer) return [];
      return [
        [
          effect.id,
          decideSend(row, customer, deps.templates, effect.due_at, lastInbound, fetchLink, blocked.has(row.wa_id)),
        ] as const,
      ];
    });
    const decided = new Map<number, SendDecision>();
    for (const [id, decision] of pending) {
      decided.set(
        id,
        await decision.catch((error: unknown): SendDecision => {
          deps.log.error({ err: error, effect: id }, 'sandbox could not decide a send; the message fails');
          return { failure: { code: 1014, details: 'the sandbox could not process this message' } };
        }),
      );
    }
    return decided;
  }

  /** What the taken effects do: status changes to record, effects to schedule (and categories, written now). */
  async function applyEffects(
    trx: Transaction<Database>,
    effects: ClaimedEffect[],
    rows: Map<string, MessageRow>,
    customers: Map<string, VirtualCustomer>,
    decided: Map<number, SendDecision>,
  ) {
    const changes: ObservedStatus[] = [];
    const scheduled: NewEffect[] = [];
    const categorized: string[] = [];
    // Each message's status once this pass's earlier changes apply: a delivery and its read may fall in one pass.
    const statusAfter = new Map<string, MessageRow['status']>();
    const change = (next: ObservedStatus) => {
      changes.push(next);
      statusAfter.set(next.messageId, next.status);
    };
    for (const effect of effects) {
      const row = rows.get(effect.message_id);
      const customer = row && customers.get(row.wa_id);
      if (!row || !customer) continue;
      const decision = decided.get(effect.id);
      const status = statusAfter.get(row.id) ?? row.status;
      if (decision?.failure) {
        change({ messageId: row.id, status: 'failed', at: effect.due_at, error: decision.failure });
      } else if (decision) {
        rows.set(row.id, { ...row, category: decision.category });
        categorized.push(row.id);
        scheduled.push(...afterAcceptance(row, customer, effect.due_at));
      } else if (effect.kind === 'expire') {
        // Not delivered within its ttl: the network gives up on it (410, docs/api/messages.md#time-to-live).
        // Delivered: nothing.
        if (status === 'accepted' || status === 'sent') {
          change({
            messageId: row.id,
            status: 'failed',
            at: effect.due_at,
            error: { code: 410, details: 'the message was not delivered within its ttl' },
          });
        }
      } else if (effect.kind !== 'send' && receives(effect, customer, status)) {
        change({ messageId: row.id, status: effect.kind, at: effect.due_at });
      }
    }
    await messages.writeStatuses(
      categorized.map((id) => rows.get(id)!),
      trx,
    );
    return { changes, scheduled };
  }

  /**
   * A customer offline when a receipt falls due gets nothing more until online again (see customerChanged), and a
   * message is read only once delivered: a read receipt that overtook a delivery held back is dropped.
   */
  function receives(effect: ClaimedEffect, customer: VirtualCustomer, status: MessageRow['status']): boolean {
    if (effect.kind === 'sent') return true;
    return customer.online && (effect.kind !== 'read' || status === 'delivered');
  }

  /** A customer back online receives what waited: delivered now, read after the usual gap. */
  async function customerChanged(customer: VirtualCustomer, previous: VirtualCustomer): Promise<void> {
    if (!customer.online || previous.online) return;
    const now = clock.now();
    await db.transaction().execute(async (trx) => {
      const waiting = await messages.undelivered(customer.wa_id, trx);
      const gap = delays.read - delays.delivered;
      await messages.schedule(
        waiting.flatMap((m) => receipts(m.id, customer, now, now + gap)),
        trx,
      );
    });
    wake();
  }
  directory.onUpdate(customerChanged);

  const loop = createPassLoop({
    pass: async () => (await pass()) === BATCH,
    nextDueIn: dueIn(() => messages.nextDueAt(), clock),
    idleMs: IDLE_POLL_MS,
    wakeDelayMs: WAKE_DELAY_MS,
    onError: (error) =>
      deps.log.error({ err: error }, 'sandbox network pass failed; its effects stay scheduled and are retried'),
  });
  const wake = () => loop.wake();

  return {
    start: () => loop.start(),
    /** Something was scheduled (a send was accepted): look soon instead of at the next timer. */
    wake,
    /** Applies everything due at the clock's current time, for tests and tools. */
    async runOnce(): Promise<void> {
      await loop.settled();
      while ((await pass()) > 0);
    },
    async stop(): Promise<void> {
      await loop.stop();
    },
  };
}

export type SandboxNetwork = ReturnType<typeof createSandboxNetwork>;
