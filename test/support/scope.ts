// Where a test's resources register their own close, so that no test repeats a close block or leaks on failure:
// every start helper of test/support/ takes the scope it runs in as its first argument.
import { after } from 'node:test';

/**
 * A test's context (`test('…', async (t) => …)`: node:test's TestContext has `after`), or `suiteScope()` in a
 * describe block, whose `before` hooks cannot register an `after` of the suite themselves.
 */
export interface Scope {
  after(fn: () => unknown): void;
}

export interface ClosingScope extends Scope {
  /** Runs every registered close, in the order registered (as a TestContext runs its `after` hooks). */
  close(): Promise<void>;
}

/** A scope its owner closes: a script outside node:test (bench/), or the suite scope below. */
export function closingScope(): ClosingScope {
  const closers: (() => unknown)[] = [];
  return {
    after: (close) => void closers.push(close),
    async close() {
      const failures: unknown[] = [];
      for (const close of closers.splice(0))
        await Promise.resolve()
          .then(close)
          .catch((error: unknown) => void failures.push(error));
      if (failures.length === 1) throw failures[0];
      if (failures.length > 1) throw new AggregateError(failures, 'closing the scope failed');
    },
  };
}

/**
 * A describe block's scope: what its `before` hooks start is closed after its last test. Call it in the describe
 * body, where it registers the block's `after` hook.
 */
export function suiteScope(): Scope {
  const scope = closingScope();
  after(() => scope.close());
  return scope;
}
