import { type BucketLimits, type BucketState, type Take, takeToken } from './token-bucket';

/**
 * Token buckets in this isolate's memory, least recently used first out. Each isolate counts
 * on its own, so this is a first line that stops a burst cheaply, not a global limit.
 */
export class BucketStore {
  private readonly buckets = new Map<string, BucketState>();

  /** @param maxKeys buckets kept before the least recently used is dropped (a dropped client starts full). */
  constructor(private readonly maxKeys = 10_000) {}

  /** Takes one token from `key`'s bucket. */
  take(key: string, now: number, limits: BucketLimits): Take {
    const before = this.buckets.get(key);
    const result = takeToken(before, now, limits);
    // Delete then set moves the key to the end of the Map's insertion order: the LRU position.
    this.buckets.delete(key);
    this.buckets.set(key, result.state);
    if (this.buckets.size > this.maxKeys) {
      const oldest = this.buckets.keys().next().value;
      if (oldest !== undefined) this.buckets.delete(oldest);
    }
    return result;
  }
}
