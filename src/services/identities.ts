// Customers' identities (docs/api/contacts.md#identity-changes; code 1028 in docs/api/README.md#error-codes): when a
// customer's security code changes, the network sends a customer_identity_changed notification; with the application
// setting show_security_notifications on, "all outgoing messages to this user will be blocked" (Meta's words) until the
// business acknowledges the new identity with PUT /v1/contacts/{wa_id}/identity {"hash"}.
//
// The block is synchronous: POST /v1/messages answers 400 / 1028 (the old API's documentation lists the code among the
// synchronous ones: docs/api/choices.md#error-statuses). The send path must not pay a database read for it, so each
// node keeps the few blocked wa_ids in memory, re-read every `refreshMs`; a hit is confirmed against the database
// before refusing, so an acknowledgement made on another node is honoured at once. A change recorded on another node
// reaches this node's memory when that node's notice arrives (announce, sent at commit), at worst within `refreshMs`; a
// message accepted in that window is failed by the network instead (480, see blockedAmong).
import type { Kysely, Transaction } from 'kysely';
import type { ContactIdentitiesRepository } from '../db/repositories/contact-identities.js';
import type { Database } from '../db/schema.js';
import { ApiError } from '../errors.js';
import type { Clock } from '../lib/clock.js';
import { periodicRefresh } from '../lib/periodic-refresh.js';

/** Meta's shape of one identity: created_timestamp in milliseconds, as its example (1600132094000) shows. */
export interface ContactIdentity {
  hash: string;
  created_timestamp: number;
  acknowledged: boolean;
}

export interface IdentitiesServiceDeps {
  repository: ContactIdentitiesRepository;
  settings: { current(): { show_security_notifications: boolean } };
  clock: Clock;
  refreshMs: number;
  log?: { warn(obj: object, message: string): void };
  /** Tells the other nodes, when `trx` commits, that `waId`'s identity changed (they block it at once). */
  announce?: (trx: Kysely<Database>, waId: string) => Promise<void>;
}

export function createIdentitiesService({
  repository,
  settings,
  clock,
  refreshMs,
  log,
  announce,
}: IdentitiesServiceDeps) {
  let blocked = new Set<string>();
  // Changes recorded here while a refresh was reading must survive that refresh: each is tagged with a sequence.
  let sequence = 0;
  const recordedHere = new Map<string, number>();

  const enforced = () => settings.current().show_security_notifications;

  async function refresh(): Promise<void> {
    const started = sequence;
    const next = new Set(await repository.unacknowledged());
    for (const [waId, at] of recordedHere) {
      if (at > started) next.add(waId);
      else recordedHere.delete(waId);
    }
    blocked = next;
  }

  /** Blocked at once; a false entry (a rolled-back transaction) is cleared by confirmBlocked. */
  function noteChanged(waId: string): void {
    blocked.add(waId);
    recordedHere.set(waId, ++sequence);
  }

  async function confirmBlocked(waId: string): Promise<void> {
    const row = await repository.find(waId);
    if (row && row.acknowledged === 0) {
      throw new ApiError(
        'identityNotAcknowledged',
        `the identity of ${waId} changed: acknowledge it with PUT /v1/contacts/${waId}/identity before sending to ${waId}`,
      );
    }
    blocked.delete(waId);
  }

  async function find(waId: string): Promise<ContactIdentity | null> {
    const row = await repository.find(waId);
    return row
      ? { hash: row.hash, created_timestamp: Number(row.created_at), acknowledged: row.acknowledged === 1 }
      : null;
  }

  const refresher = periodicRefresh(refresh, refreshMs, (error) =>
    log?.warn({ err: error }, 'could not re-read the unacknowledged identities; keeping the last ones'),
  );
  return {
    async get(waId: string): Promise<ContactIdentity> {
      const identity = await find(waId);
      if (!identity) throw notRecorded(waId);
      return identity;
    },

    async acknowledge(waId: string, hash: string): Promise<void> {
      const outcome = await repository.acknowledge(waId, hash, clock.now());
      if (outcome === 'unknown') throw notRecorded(waId);
      if (outcome === 'hash_mismatch')
        throw new ApiError(
          'invalidParameter',
          `hash does not match the latest identity of ${waId}; read it with GET /v1/contacts/${waId}/identity`,
        );
      blocked.delete(waId);
    },

    /** For inbound messages: the customer's identity while security notifications are on, else null. */
    async shownOnInbound(waId: string): Promise<ContactIdentity | null> {
      return enforced() ? find(waId) : null;
    },

    /** Called by the inbox inside the transaction that stores the notification. */
    async recordChange(trx: Transaction<Database>, waId: string, hash: string, at: number): Promise<void> {
      await repository.recordChange(waId, hash, at, trx);
      noteChanged(waId);
      await announce?.(trx, waId);
    },

    /** Another node recorded a change of `waId`'s identity: blocked here too, without waiting for the refresh. */
    noteChanged,

    /** For POST /v1/messages: undefined (no await needed) unless `waId` may be blocked; rejects with 1028 if it is. */
    checkRecipient(waId: string): Promise<void> | undefined {
      if (!blocked.has(waId) || !enforced()) return undefined;
      return confirmBlocked(waId);
    },

    /** For the network, read fresh: the recipients among `waIds` it must not deliver to now (none when not enforced). */
    async blockedAmong(waIds: readonly string[]): Promise<Set<string>> {
      return enforced() ? repository.unacknowledgedAmong(waIds) : new Set();
    },

    load: () => refresh(),

    start: refresher.start,
    stop: refresher.stop,
  };
}

export type IdentitiesService = ReturnType<typeof createIdentitiesService>;

function notRecorded(waId: string): ApiError {
  return new ApiError('notFound', `no identity change has been recorded for ${waId}`);
}
