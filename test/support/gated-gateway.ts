// A gate in front of the network's contact look-ups: a test closes it to hold requests in flight (or look-ups
// pending), then opens it. Timing control, not a mock: behind the gate the real sandbox answers.
import type { Gateway } from '../../src/modes/gateway.js';

export function createGate() {
  let gate: Promise<void> = Promise.resolve();
  let open: () => void = () => {};
  return {
    /** Look-ups wait from now on until `open()`. */
    close(): void {
      gate = new Promise((resolve) => (open = resolve));
    },
    open(): void {
      open();
    },
    wrap(gateway: Gateway): Gateway {
      return {
        kind: gateway.kind,
        status: () => gateway.status(),
        close: () => gateway.close(),
        lookupContacts: async (ids) => {
          await gate;
          return gateway.lookupContacts(ids);
        },
      };
    },
  };
}
