// The sandbox's directory of virtual customers. Every valid mobile number is a WhatsApp user with default
// behaviour, unless the sandbox controls stored something else for it.
import type {
  CustomerSetting,
  SandboxCustomersRepository,
  SandboxCustomerRow,
} from '../../db/repositories/sandbox-customers.js';
import type { Clock } from '../../lib/clock.js';
import { readInTurns, type PhoneNumberReader, type WaId } from '../../lib/phone.js';

/** Async errors a virtual customer can be set to cause on every message sent to it. */
export const SANDBOX_FAILURE_CODES = [1026, 471, 472, 1013] as const;
type SandboxFailureCode = (typeof SANDBOX_FAILURE_CODES)[number];

export interface VirtualCustomer {
  wa_id: WaId;
  name: string;
  on_whatsapp: boolean;
  read_receipts: boolean;
  online: boolean;
  fail_with: SandboxFailureCode | null;
}

const SETTINGS: readonly CustomerSetting[] = ['name', 'on_whatsapp', 'read_receipts', 'online', 'fail_with'];

export type VirtualCustomerChanges = Partial<Omit<VirtualCustomer, 'wa_id' | 'name'>> & { name?: string | null };

/** Told after a customer's behaviour changed (the network delivers what waited for an offline customer). */
export type CustomerListener = (customer: VirtualCustomer, previous: VirtualCustomer) => Promise<void>;

export function createSandboxDirectory(
  repository: SandboxCustomersRepository,
  phones: PhoneNumberReader,
  clock: Clock,
) {
  const listeners: CustomerListener[] = [];
  function fromRow(waId: WaId, row: SandboxCustomerRow | undefined): VirtualCustomer {
    return {
      wa_id: waId,
      name: row?.name ?? defaultName(waId),
      on_whatsapp: row ? row.on_whatsapp === 1 : phones.isMobile(waId),
      read_receipts: row ? row.read_receipts === 1 : true,
      online: row ? row.online === 1 : true,
      fail_with: (row?.fail_with ?? null) as SandboxFailureCode | null,
    };
  }

  return {
    async get(waId: WaId): Promise<VirtualCustomer> {
      return fromRow(waId, await repository.find(waId));
    },

    async getMany(waIds: readonly WaId[]): Promise<VirtualCustomer[]> {
      const rows = await repository.findMany(waIds);
      // Defaults need the number's type, which is slow to compute for many numbers: see readInTurns.
      return readInTurns(waIds, (waId) => fromRow(waId, rows.get(waId)));
    },

    /**
     * The customers the sandbox stores (set through PATCH, or named by their own inbound profile), in wa_id order
     * after `after`; every other number behaves by default and is not listed.
     */
    async list(after: WaId | null, limit: number): Promise<VirtualCustomer[]> {
      const rows = await repository.listAfter(after, limit);
      return rows.map((row) => fromRow(row.wa_id as WaId, row));
    },

    async update(waId: WaId, changes: VirtualCustomerChanges): Promise<VirtualCustomer> {
      const current = await repository.find(waId);
      const merged = { ...fromRow(waId, current), ...changes };
      const now = clock.now();
      const changed = SETTINGS.filter((setting) => changes[setting] !== undefined);
      // The row as it stands after this change; an existing row gets only the changed columns (see upsert).
      await repository.upsert(
        {
          wa_id: waId,
          // A name reset to null goes back to the default, which is not stored.
          name: changes.name === null ? null : (changes.name ?? current?.name ?? null),
          on_whatsapp: merged.on_whatsapp ? 1 : 0,
          read_receipts: merged.read_receipts ? 1 : 0,
          online: merged.online ? 1 : 0,
          fail_with: merged.fail_with,
          created_at: current?.created_at ?? now,
          updated_at: now,
        },
        changed,
      );
      const updated = fromRow(waId, await repository.find(waId));
      for (const listener of listeners) await listener(updated, fromRow(waId, current));
      return updated;
    },

    onUpdate(listener: CustomerListener): void {
      listeners.push(listener);
    },
  };
}

export type SandboxDirectory = ReturnType<typeof createSandboxDirectory>;

/** A stable, readable profile name for customers nobody named: "Customer 1234" from the last four digits. */
function defaultName(waId: WaId): string {
  return `Customer ${waId.slice(-4)}`;
}
