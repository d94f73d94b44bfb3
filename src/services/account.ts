// The registration of the business number and its shard count (docs/api/account-and-registration.md), shared by every
// node on the database. The gateway's health answers from memory (`connection()`), so each node keeps the row in memory
// and re-reads it when another node announces a change (the cluster bus) and every `refreshMs`, as it does the
// settings: a registration completed through another node shows here within milliseconds, at worst within that bound;
// one completed here shows at once.
//
// In the sandbox the code is "sent" by storing it: GET /sandbox/account/code reads it, as a phone would.
import type { AccountRepository, AccountRow } from '../db/repositories/account.js';
import type { Clock } from '../lib/clock.js';
import { fail, ok, type Result } from '../lib/result.js';
import { constantTimeEqual } from '../lib/secrets.js';
import { coalescedRun } from '../lib/coalesced-run.js';
import { periodicRefresh } from '../lib/periodic-refresh.js';
import {
  checkPin,
  checkSameNumber,
  generateCode,
  readCert,
  readCode,
  readCodeRequest,
  readShards,
  type BusinessNumber,
  type CodeMethod,
} from './account-rules.js';

// Ten minutes to type a code in, five guesses at one code: a guesser gets 5 tries in 10^6 per code requested.
export const CODE_TTL_MS = 10 * 60 * 1000;
export const MAX_CODE_ATTEMPTS = 5;
// What an error about the number points at: the variable that says which number this server is.
const NUMBER_SETTING = 'WA_SANDBOX_BUSINESS_NUMBER';
/** How long the sandbox "connects" after a registration: health shows `connecting`, then `connected`. */
export const CONNECT_DELAY_MS = 1000;

export interface RequestCodeBody {
  cc: string;
  phone_number: string;
  method: string;
  cert: string;
  pin?: string;
}

export interface SetShardsBody {
  cc: string;
  phone_number: string;
  shards: number | string;
  pin?: string;
  cert?: string;
}

/** 201: the number was already registered here. 202: a code is on its way, and the name the certificate carries. */
export type CodeRequestOutcome = { alreadyRegistered: true } | { alreadyRegistered: false; vname: string };

export interface PendingCode {
  code: string;
  method: CodeMethod;
  cc: string;
  phone_number: string;
  expires_at: number;
}

export type Connection = 'unregistered' | 'connecting' | 'connected';

export interface AccountServiceDeps {
  repository: AccountRepository;
  clock: Clock;
  /** The number this installation serves (the sandbox's WA_SANDBOX_BUSINESS_NUMBER). */
  business: BusinessNumber;
  refreshMs: number;
  connectDelayMs?: number;
  log?: { warn(obj: object, message: string): void };
  /** Tells the other nodes that the registration changed (they re-read it at once). */
  announce?: () => void;
  /**
   * The two-step PIN check (ProfileService.verifyTwoStepPin): null while two-step verification is off. With it on,
   * a new registration and a shard change need the PIN, as on On-Premises; without it any PIN given is ignored.
   */
  verifyTwoStepPin?: (pin: string) => Promise<boolean | null>;
}

export function createAccountService(deps: AccountServiceDeps) {
  const {
    repository,
    clock,
    business,
    refreshMs,
    connectDelayMs = CONNECT_DELAY_MS,
    log,
    announce,
    verifyTwoStepPin,
  } = deps;
  let current: AccountRow | undefined;
  // Bumped by every local write, so that a refresh which read the row before the write cannot put it back.
  let generation = 0;

  async function checkTwoStep(pin: string | undefined): Promise<Result<void>> {
    if (!verifyTwoStepPin) return ok(undefined);
    const matches = await verifyTwoStepPin(pin ?? '');
    if (matches === null || matches) return ok(undefined);
    return pin === undefined
      ? fail('missingParameter', 'pin is required: two-step verification is on (POST /v1/settings/account/two-step)')
      : fail('invalidParameter', 'pin does not match the two-step verification PIN');
  }

  async function refreshOnce(): Promise<void> {
    const started = generation;
    const row = await repository.read();
    if (started === generation) current = row;
  }
  // One re-read at a time, as for the settings (settings.ts): overlapping reads could finish out of order.
  const refresh = coalescedRun(refreshOnce);

  async function reload(): Promise<AccountRow | undefined> {
    generation++;
    current = await repository.read();
    return current;
  }

  /** After a write: this node's copy re-read, the other nodes told. */
  async function written(): Promise<AccountRow | undefined> {
    const row = await reload();
    announce?.();
    return row;
  }

  /** The row, written as unregistered if a restore or a hand edit left none. */
  async function readRow(): Promise<AccountRow> {
    const row = await repository.read();
    if (row) return row;
    await repository.insertIfAbsent(unregisteredRow(clock.now()));
    return (await repository.read())!;
  }

  const refresher = periodicRefresh(refresh, refreshMs, (error) =>
    log?.warn({ err: error }, 'could not re-read the registration; keeping the last one'),
  );
  return {
    /**
     * The first start writes the row: registered (WA_SANDBOX_REGISTERED, the default) or not. Later starts keep it.
     * True when this call wrote it (the database is new), false when a stored registration was kept.
     */
    async ensureInitial(registered: boolean): Promise<boolean> {
      const now = clock.now();
      const written = await repository.insertIfAbsent(registered ? registeredRow(business, now) : unregisteredRow(now));
      await reload();
      return written;
    },

    load: refresh,
    refresh,

    /** From memory: cheap enough for every health check and every guarded request. */
    connection(): Connection {
      if (current?.state !== 'registered') return 'unregistered';
      return clock.now() < (current.connected_at ?? 0) ? 'connecting' : 'connected';
    },

    async requestCode(body: RequestCodeBody): Promise<Result<CodeRequestOutcome>> {
      const request = readCodeRequest(body, business, NUMBER_SETTING);
      if (!request.ok) return request;
      const { method, vname, cert } = request.value;
      if ((await readRow()).state === 'registered') return ok({ alreadyRegistered: true });
      const pin = await checkTwoStep(body.pin);
      if (!pin.ok) return pin;
      const now = clock.now();
      const sent = await repository.requestCode(
        {
          cc: business.cc,
          phone_number: business.phoneNumber,
          method,
          vname,
          cert,
          code: generateCode(),
          code_expires_at: now + CODE_TTL_MS,
        },
        now,
      );
      await written();
      return ok(sent ? { alreadyRegistered: false, vname } : { alreadyRegistered: true });
    },

    async verify(input: string): Promise<Result<void>> {
      const code = readCode(input);
      if (!code.ok) return code;
      const row = await readRow();
      if (row.state === 'registered')
        return fail('invalidParameter', 'no registration code is pending: the number is already registered');
      if (row.state !== 'pending' || row.code === null)
        return fail('invalidParameter', 'no registration code is pending: request one with POST /v1/account');
      const now = clock.now();
      if (now >= (row.code_expires_at ?? 0))
        return fail('invalidParameter', 'the registration code expired: request a new one with POST /v1/account');
      if (!constantTimeEqual(code.value, row.code)) {
        await repository.recordWrongCode(row.code, row.code_attempts, MAX_CODE_ATTEMPTS, now);
        await written();
        const left = MAX_CODE_ATTEMPTS - row.code_attempts - 1;
        return fail(
          'invalidParameter',
          left > 0
            ? `code does not match the code sent (${left} ${left === 1 ? 'attempt' : 'attempts'} left)`
            : 'code does not match the code sent, and that was the last attempt: request a new code with POST /v1/account',
        );
      }
      const completed = await repository.completeRegistration(row.code, now, now + connectDelayMs);
      const after = await written();
      // Losing the race to a verify of the same code on another node is still a registration.
      if (completed || after?.state === 'registered') return ok(undefined);
      return fail('invalidParameter', 'the registration code was replaced by a newer one: use the latest code sent');
    },

    /** The code the sandbox "sent", for GET /sandbox/account/code. Read from the database: any node's request. */
    async pendingCode(): Promise<Result<PendingCode>> {
      const row = await readRow();
      if (
        row.state !== 'pending' ||
        row.code === null ||
        row.method === null ||
        clock.now() >= (row.code_expires_at ?? 0)
      ) {
        return fail('notFound', 'no registration code is pending: request one with POST /v1/account');
      }
      return ok({
        code: row.code,
        method: row.method,
        cc: row.cc ?? business.cc,
        phone_number: row.phone_number ?? business.phoneNumber,
        expires_at: row.code_expires_at ?? 0,
      });
    },

    async shards(): Promise<number> {
      return (await reload())?.shards ?? 1;
    },

    async setShards(body: SetShardsBody): Promise<Result<void>> {
      const number = checkSameNumber(body.cc, body.phone_number, business, NUMBER_SETTING);
      if (!number.ok) return number;
      const shards = readShards(body.shards);
      if (!shards.ok) return shards;
      const pin = checkPin(body.pin);
      if (!pin.ok) return pin;
      if (body.cert !== undefined) {
        const cert = readCert(body.cert);
        if (!cert.ok) return cert;
      }
      if ((await readRow()).state !== 'registered')
        return fail(
          'serviceNotReady',
          'the business number is not registered: POST /v1/account, then /v1/account/verify',
          60,
        );
      const twoStep = await checkTwoStep(body.pin);
      if (!twoStep.ok) return twoStep;
      await repository.setShards(shards.value, clock.now());
      await written();
      return ok(undefined);
    },

    start: refresher.start,
    stop: refresher.stop,
  };
}

export type AccountService = ReturnType<typeof createAccountService>;

function unregisteredRow(now: number): Omit<AccountRow, 'id'> {
  return {
    state: 'unregistered',
    cc: null,
    phone_number: null,
    method: null,
    vname: null,
    cert: null,
    code: null,
    code_expires_at: null,
    code_attempts: 0,
    registered_at: null,
    connected_at: null,
    shards: 1,
    updated_at: now,
  };
}

/** Registered and connected from `now`: a fresh sandbox, usable at once. */
export function registeredRow(business: BusinessNumber, now: number): Omit<AccountRow, 'id'> {
  return {
    ...unregisteredRow(now),
    state: 'registered',
    cc: business.cc,
    phone_number: business.phoneNumber,
    registered_at: now,
    connected_at: now,
  };
}
