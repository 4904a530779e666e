/**
 * A per-container cache of slowly changing data (rules, campaigns, posteriors, lists): fresh
 * values for `ttlMs`, one load in flight per key, and the last good value kept serving when a
 * reload fails, so a DynamoDB blip does not change what users see.
 */
export class TtlCache<T> {
  private readonly entries = new Map<string, { value: T; at: number }>();
  private readonly loading = new Map<string, Promise<T>>();

  constructor(
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** The cached value when fresh; else loads it, falling back to the stale value if the load fails. */
  async get(key: string, load: () => Promise<T>): Promise<T> {
    const hit = this.entries.get(key);
    if (hit && this.now() - hit.at < this.ttlMs) return hit.value;
    let pending = this.loading.get(key);
    if (!pending) {
      pending = load()
        .then((value) => {
          this.entries.set(key, { value, at: this.now() });
          return value;
        })
        .finally(() => this.loading.delete(key));
      this.loading.set(key, pending);
    }
    try {
      return await pending;
    } catch (err) {
      if (hit) return hit.value;
      throw err;
    }
  }
}
