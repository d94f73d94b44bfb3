// Group commit: work submitted during one event-loop turn is written in one transaction, so concurrent requests
// share one synchronous commit (one fsync on SQLite, one round trip on PostgreSQL) instead of paying one each.
// While a group is being committed the next one gathers, so batches grow with the load and shrink to one item
// when the server is quiet. If a group fails, its items are retried one by one: a bad item fails alone.

// A bound on one transaction's size keeps a burst from holding the write lock for long (about 2 ms of SQLite work).
const MAX_GROUP = 512;

interface Waiter<T> {
  item: T;
  resolve(): void;
  reject(error: unknown): void;
}

export interface GroupCommit<T> {
  /** Resolves once the item is committed; rejects with the error of its own commit. */
  add(item: T): Promise<void>;
  /** Resolves when everything added so far is committed (or has failed). */
  flush(): Promise<void>;
}

export interface GroupCommitOptions {
  /**
   * Whether a failed group may owe its failure to one item (a constraint, a bad value) and is worth retrying item
   * by item. A database that is busy or unreachable fails every item alike: retrying them one by one would only
   * stall the queue, so the whole group fails at once. Default: always split.
   */
  splittable?(error: unknown): boolean;
}

export function createGroupCommit<T>(
  commit: (items: T[]) => Promise<void>,
  options: GroupCommitOptions = {},
): GroupCommit<T> {
  const splittable = options.splittable ?? (() => true);
  const waiting: Waiter<T>[] = [];
  let committing: Promise<void> | null = null;
  let scheduled = false;

  async function commitGroup(group: Waiter<T>[]): Promise<void> {
    try {
      await commit(group.map((w) => w.item));
      for (const w of group) w.resolve();
    } catch (error) {
      if (group.length === 1 || !splittable(error)) {
        for (const w of group) w.reject(error);
        return;
      }
      for (const w of group) await commitGroup([w]);
    }
  }

  function schedule(): void {
    if (scheduled || committing) return;
    scheduled = true;
    setImmediate(() => {
      scheduled = false;
      const group = waiting.splice(0, MAX_GROUP);
      if (group.length === 0) return;
      committing = commitGroup(group).finally(() => {
        committing = null;
        if (waiting.length > 0) schedule();
      });
    });
  }

  return {
    add(item) {
      return new Promise<void>((resolve, reject) => {
        waiting.push({ item, resolve, reject });
        schedule();
      });
    },
    async flush() {
      while (waiting.length > 0 || committing || scheduled) {
        await (committing ?? new Promise((resolve) => setImmediate(resolve)));
      }
    },
  };
}
