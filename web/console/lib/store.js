// A tiny observable value and the hook that re-renders a component when it changes: enough state management for a
// handful of views, without a library.
import { useEffect, useState } from 'preact/hooks';

/**
 * @template T
 * @param {T} initial
 */
export function createStore(initial) {
  let value = initial;
  /** @type {Set<(value: T) => void>} */
  const listeners = new Set();
  return {
    get: () => value,
    /** @param {Partial<T>} patch */
    set(patch) {
      value = { ...value, ...patch };
      for (const listener of listeners) listener(value);
    },
    /** @param {(value: T) => void} listener */
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/**
 * The store's current value; the component renders again whenever it changes.
 * @template T
 * @param {ReturnType<typeof createStore<T>>} store
 * @returns {T}
 */
export function useStore(store) {
  const [value, setValue] = useState(store.get());
  useEffect(() => {
    setValue(store.get());
    return store.subscribe(setValue);
  }, [store]);
  return value;
}
