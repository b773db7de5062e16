/**
 * A cache that keeps at most `capacity` entries, dropping the one least recently used: for values
 * keyed by something outsiders choose, so that endless distinct keys cannot grow it without end.
 */
export class LruCache<V> {
  // A Map iterates in insertion order, so re-inserting an entry on use keeps the oldest first.
  private readonly entries = new Map<string, V>();

  constructor(readonly capacity: number) {}

  get size(): number {
    return this.entries.size;
  }

  get(key: string): V | undefined {
    const value = this.entries.get(key);
    if (value === undefined) return undefined;
    this.entries.delete(key);
    this.entries.set(key, value);
    return value;
  }

  set(key: string, value: V): void {
    this.entries.delete(key);
    for (const oldest of this.entries.keys()) {
      if (this.entries.size < this.capacity) break;
      this.entries.delete(oldest);
    }
    this.entries.set(key, value);
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  has(key: string): boolean {
    return this.entries.has(key);
  }
}
