// One expensive operation (an fsync) shared by every caller that can share it. A caller needs a run that starts
// after its call: the run under way may have begun too early, so callers arriving meanwhile share the next one.
// At most one run is under way and at most one is waiting, however many callers there are.
export function coalescedRun(run: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | null = null;
  let queued: Promise<void> | null = null;

  function start(): Promise<void> {
    running = run().finally(() => {
      running = null;
    });
    return running;
  }

  return function next(): Promise<void> {
    if (!running) return start();
    queued ??= running
      .catch(() => {})
      .then(() => {
        queued = null;
        return running ?? start();
      });
    return queued;
  };
}
