// A node's in-memory copy of shared rows (settings, registration, certificates, identities), re-read every
// `refreshMs`: that interval bounds how late a change made through another node is seen here. A failed re-read
// keeps the last copy and is reported; the next tick tries again.
export interface PeriodicRefresh {
  start(): void;
  stop(): void;
}

export function periodicRefresh(
  refresh: () => Promise<void>,
  refreshMs: number,
  onError: (error: unknown) => void,
): PeriodicRefresh {
  let timer: NodeJS.Timeout | null = null;
  return {
    start() {
      timer ??= setInterval(() => {
        refresh().catch(onError);
      }, refreshMs);
      timer.unref();
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = null;
    },
  };
}
