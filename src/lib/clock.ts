/** Milliseconds since the epoch. Everything that depends on time takes a Clock so tests can move time by hand. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };
