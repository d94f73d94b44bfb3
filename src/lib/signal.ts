// A named wake-up: one part notifies ("callbacks were written"), the parts that care listen. The composition root
// creates every signal before anything that notifies or listens, so no part refers to one built after it.

interface Signal {
  /** Tells every listener, synchronously, in the order they were added. A plain function: pass it as a callback. */
  readonly notify: () => void;
  on(listener: () => void): void;
}

function createSignal(): Signal {
  const listeners: (() => void)[] = [];
  return {
    notify: () => {
      for (const listener of listeners) listener();
    },
    on(listener) {
      listeners.push(listener);
    },
  };
}

/** The node's wake-ups, each named for what happened rather than for who listens. */
export interface NodeSignals {
  /** Webhook rows were written (a receipt, an inbound message, a look-up's result, a replay): the dispatcher wakes. */
  readonly callbacksWritten: Signal;
  /** A send was committed: the simulated network takes it now. */
  readonly sendAccepted: Signal;
  /** A virtual customer changed (back online has receipts to deliver): the simulated network looks now. */
  readonly customerOnline: Signal;
  /** A no_wait contact look-up was stored: the look-up worker starts on it. */
  readonly lookupQueued: Signal;
}

export function createNodeSignals(): NodeSignals {
  return {
    callbacksWritten: createSignal(),
    sendAccepted: createSignal(),
    customerOnline: createSignal(),
    lookupQueued: createSignal(),
  };
}
