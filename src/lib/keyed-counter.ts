/**
 * Counts what each key holds (requests in flight per user, connections per address) against one bound. An entry
 * lives only while its count is above zero, so the map never holds more keys than there are things held.
 */
export class KeyedCounter {
  private readonly counts = new Map<string, number>();

  constructor(readonly max: number) {}

  /** Counts one more for `key` and answers true, or answers false and counts nothing when `key` is at the bound. */
  tryTake(key: string): boolean {
    const held = this.counts.get(key) ?? 0;
    if (held >= this.max) return false;
    this.counts.set(key, held + 1);
    return true;
  }

  release(key: string): void {
    const held = this.counts.get(key) ?? 0;
    if (held <= 1) this.counts.delete(key);
    else this.counts.set(key, held - 1);
  }

  held(key: string): number {
    return this.counts.get(key) ?? 0;
  }

  /** How many keys hold anything. */
  size(): number {
    return this.counts.size;
  }
}
