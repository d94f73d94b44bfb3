// A circuit breaker in front of the PostgreSQL pool: once opening a connection fails, every request that needs the
// database is refused at once (503 / 1023) instead of each waiting out the connect timeout on a dead server, and
// one probe connection a second finds out when the server is back.
//
// It also owns the 'error' listener of every client handed out. pg-pool listens for errors only on idle clients;
// a checked-out client whose socket dies emits 'error' with no listener, which would end the process.
import type { PostgresPool, PostgresPoolClient } from 'kysely';
import type pg from 'pg';
import { classifyDatabaseError } from '../lib/database-errors.js';

// 1 s between probes: the outage is noticed by the first request that fails, and the recovery within a second of
// the server accepting connections again. Each probe is one connection attempt bounded by the connect timeout,
// so a dead server costs one refused (or timed out) connection a second per node: nothing it would notice.
export const PROBE_INTERVAL_MS = 1000;

/** What a request meets while the breaker is open; classified 'unavailable' (503 / 1023). */
class DatabaseUnavailableError extends Error {
  constructor(cause?: unknown) {
    const message = 'the database is unreachable; waiting for it to accept connections again';
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'DatabaseUnavailableError';
  }
}

export type BreakerState = 'closed' | 'open';

export interface BreakerEvents {
  onOpen?(cause: unknown): void;
  onClose?(downForMs: number): void;
}

export interface GuardedPool extends PostgresPool {
  readonly state: BreakerState;
}

/**
 * `probeConnection` opens one connection outside the pool (whose clients may all be stuck), runs a query and
 * closes it; it must be bounded by the connect timeout.
 */
export function guardPool(
  pool: pg.Pool,
  probeConnection: () => Promise<void>,
  events: BreakerEvents = {},
  probeIntervalMs = PROBE_INTERVAL_MS,
): GuardedPool {
  let state: BreakerState = 'closed';
  let openedAt = 0;
  let lastCause: unknown;
  let probeTimer: NodeJS.Timeout | null = null;
  let ended = false;

  function trip(cause: unknown): void {
    if (!meansServerDown(cause)) return;
    lastCause = cause;
    if (state === 'open' || ended) return;
    state = 'open';
    openedAt = Date.now();
    events.onOpen?.(cause);
    scheduleProbe();
  }

  function scheduleProbe(): void {
    probeTimer = setTimeout(() => void probe(), probeIntervalMs);
    probeTimer.unref();
  }

  async function probe(): Promise<void> {
    probeTimer = null;
    if (ended) return;
    try {
      await probeConnection();
      state = 'closed';
      events.onClose?.(Date.now() - openedAt);
    } catch (error) {
      lastCause = error;
      scheduleProbe();
    }
  }

  // The query in progress on a client that loses its connection fails with the same error; this listener only
  // keeps the process up. A lost connection alone does not open the breaker (a restarted backend, a firewall's
  // idle timeout): if the server is gone, the next connection attempt fails and opens it.
  pool.on('connect', (client) => client.on('error', () => {}));

  return {
    get state() {
      return state;
    },
    async connect(): Promise<PostgresPoolClient> {
      if (state === 'open') throw new DatabaseUnavailableError(lastCause);
      try {
        return await pool.connect();
      } catch (error) {
        trip(error);
        throw error;
      }
    },
    async end(): Promise<void> {
      ended = true;
      if (probeTimer) clearTimeout(probeTimer);
      await pool.end();
    },
  };
}

// pg-pool's wait for a free client of a full pool fails with this message: the pool is busy, the server may be
// fine. Opening the breaker then would turn a burst of load into a second of refusals on every request.
const POOL_WAIT_TIMEOUT = 'timeout exceeded when trying to connect';

function meansServerDown(error: unknown): boolean {
  if (error instanceof Error && error.message === POOL_WAIT_TIMEOUT) return false;
  // A server refusing more connections (53300) still serves the pool's: refusing every request would turn a full
  // server into an outage, and the probe, one more connection, would keep the breaker open as long as it stays full.
  if ((error as { code?: unknown }).code === '53300') return false;
  return classifyDatabaseError(error) === 'unavailable';
}
