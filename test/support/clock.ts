import type { Clock } from '../../src/lib/clock.js';

/** A clock that moves only when the test moves it. */
export class ManualClock implements Clock {
  constructor(private current = Date.UTC(2026, 0, 5, 12, 0, 0)) {}

  now(): number {
    return this.current;
  }

  advance(ms: number): void {
    this.current += ms;
  }
}
