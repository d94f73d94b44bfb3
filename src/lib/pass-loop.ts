// Runs a worker's passes: back to back while each pass finds a full batch, then asleep until the next piece of
// work falls due (asked of `nextDueIn`), at most `idleMs`; a wake runs a pass within `wakeDelayMs`, so that work
// arriving by thousands a second is taken together. A failed pass is retried after `idleMs`, never at once, so a
// database that is down does not make the loop spin. One pass at a time.

export interface PassLoopOptions {
  /** One pass; answers whether it was full (more is waiting now). */
  pass(): Promise<boolean>;
  /** Milliseconds until the next work is due, or null when nothing is scheduled. */
  nextDueIn(): Promise<number | null>;
  idleMs: number;
  wakeDelayMs: number;
  onError(error: unknown): void;
}

/** A `nextDueIn` for work whose store tells when the next piece falls due, on the worker's clock. */
export function dueIn(nextDueAt: () => Promise<number | null>, clock: { now(): number }): () => Promise<number | null> {
  return async () => {
    const next = await nextDueAt();
    return next === null ? null : next - clock.now();
  };
}

export function createPassLoop(options: PassLoopOptions) {
  let timer: NodeJS.Timeout | null = null;
  let timerDueAt = Infinity;
  let running: Promise<void> | null = null;
  let again = false;
  let stopped = true;

  function run(): Promise<void> {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      // A stop ends the run after the pass in progress, not after the backlog: a node shutting down with thousands
      // of effects due leaves them to the next start (or another node) instead of outliving its shutdown timeout.
      do {
        again = false;
        while (!stopped && (await options.pass()));
      } while (again && !stopped);
    })()
      .then(
        () => true,
        (error) => {
          options.onError(error);
          return false;
        },
      )
      .then((succeeded) => {
        running = null;
        if (succeeded) void sleepUntilNextDue();
        else runIn(options.idleMs);
      });
    return running;
  }

  /** Runs a pass in `ms`, unless one is already set to run sooner. */
  function runIn(ms: number): void {
    const at = Date.now() + ms;
    if (stopped || (timer && timerDueAt <= at)) return;
    if (timer) clearTimeout(timer);
    timerDueAt = at;
    timer = setTimeout(() => {
      timer = null;
      void run();
    }, ms).unref();
  }

  const settled = () => running ?? Promise.resolve();

  async function sleepUntilNextDue(): Promise<void> {
    const next = await options.nextDueIn().catch(() => null);
    // Work falling due continuously (a status every few microseconds under load) waits `wakeDelayMs` like woken
    // work does, so that a pass carries a batch instead of the few rows that fell due while the last one ran.
    runIn(next === null ? options.idleMs : Math.min(options.idleMs, Math.max(options.wakeDelayMs, next)));
  }

  return {
    start(): void {
      stopped = false;
      void run();
    },
    wake(): void {
      runIn(options.wakeDelayMs);
    },
    /** Waits for the pass in progress, if any. */
    settled,
    /**
     * Runs passes now until one is not full, after the pass in progress (which may have read the clock before the
     * caller moved it), then waits for a pass woken meanwhile; for tests and tools. Runs whether started or not.
     */
    async drain(): Promise<void> {
      await settled();
      while (await options.pass());
      await settled();
    },
    async stop(): Promise<void> {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
      await running;
    },
  };
}
