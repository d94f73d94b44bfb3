// POST /v1/contacts: is each number on WhatsApp, and what is its wa_id (docs/api/contacts.md#check-contacts,
// docs/api/choices.md#contacts).
import type { ContactLookupsRepository, LookupEntry } from '../db/repositories/contact-lookups.js';
import type { CachedContact, ContactsRepository } from '../db/repositories/contacts.js';
import { GatewayUnavailableError, type ContactNetwork, type ContactPresence } from './contact-network.js';
import type { Clock } from '../lib/clock.js';
import { readInTurns, type PhoneNumberReader, type WaId } from '../lib/phone.js';

const CONTACT_CACHE_MS = 7 * 24 * 60 * 60 * 1000;

export type ContactStatus = 'valid' | 'invalid' | 'processing' | 'failed';

export interface ContactAnswer {
  input: string;
  status: ContactStatus;
  wa_id?: string;
}

export interface ContactCheck {
  contacts: readonly string[];
  blocking: 'wait' | 'no_wait';
  forceCheck: boolean;
}

export interface ContactsServiceDeps {
  contacts: ContactsRepository;
  lookups: ContactLookupsRepository;
  network: ContactNetwork;
  phones: PhoneNumberReader;
  clock: Clock;
  /** Called after a no_wait look-up was stored, so the worker starts on it without waiting for its next poll. */
  onLookupQueued: () => void;
  /** The cloud gateway: the real wa_id of numbers whose send answer revealed a different one than dialled. */
  realWaIds?(waIds: readonly WaId[]): Promise<Map<string, string>>;
}

export function cacheRows(presence: ReadonlyMap<WaId, ContactPresence>, now: number): CachedContact[] {
  return [...presence].map(([wa_id, p]) => ({
    wa_id,
    status: p === 'on_whatsapp' ? 'valid' : 'invalid',
    checked_at: now,
    expires_at: now + CONTACT_CACHE_MS,
  }));
}

export function createContactsService(deps: ContactsServiceDeps) {
  const { contacts, lookups, network, phones, clock } = deps;

  /** Asks the network now; a network that cannot answer makes those numbers `failed`. */
  async function lookUpNow(waIds: readonly WaId[]): Promise<Map<WaId, ContactStatus>> {
    try {
      const presence = await network.lookupContacts(waIds);
      const rows = cacheRows(presence, clock.now());
      await contacts.upsert(rows);
      return new Map(rows.map((row) => [row.wa_id as WaId, row.status]));
    } catch (error) {
      if (!(error instanceof GatewayUnavailableError)) throw error;
      return new Map(waIds.map((waId) => [waId, 'failed']));
    }
  }

  async function queueLookUp(parsed: readonly { input: string; waId: WaId | null }[], missing: ReadonlySet<WaId>) {
    const entries: LookupEntry[] = parsed
      .filter((p): p is { input: string; waId: WaId } => p.waId !== null && missing.has(p.waId))
      .map((p) => ({ input: p.input, wa_id: p.waId }));
    await lookups.enqueue(entries, clock.now());
    deps.onLookupQueued();
    return new Map([...missing].map((waId) => [waId, 'processing' as const]));
  }

  return {
    async check({ contacts: inputs, blocking, forceCheck }: ContactCheck): Promise<ContactAnswer[]> {
      const parsed = await readInTurns(inputs, (input) => ({ input, waId: phones.toWaId(input) }));
      const waIds = [...new Set(parsed.flatMap((p) => (p.waId ? [p.waId] : [])))];
      const cached = forceCheck ? new Map<string, CachedContact>() : await contacts.findFresh(waIds, clock.now());
      const missing = new Set(waIds.filter((waId) => !cached.has(waId)));
      const answered =
        missing.size === 0
          ? new Map<WaId, ContactStatus>()
          : blocking === 'wait'
            ? await lookUpNow([...missing])
            : await queueLookUp(parsed, missing);
      const real = deps.realWaIds ? await deps.realWaIds(waIds) : null;
      return parsed.map(({ input, waId }) => {
        if (waId === null) return { input, status: 'invalid' };
        const status = answered.get(waId) ?? cached.get(waId)?.status ?? 'failed';
        // wa_id is given for numbers that are (or may turn out to be) on WhatsApp, never for invalid ones.
        return status === 'valid' || status === 'processing'
          ? { input, status, wa_id: real?.get(waId) ?? waId }
          : { input, status };
      });
    },
  };
}

export type ContactsService = ReturnType<typeof createContactsService>;
