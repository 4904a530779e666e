import { readdir } from 'node:fs/promises';
import { rankerVariantName } from '../../shared/ranking/model-variant';
import { readModelBundle } from './bundle';
import { incompatibility, type ServingState } from './compatibility';
import { type LoadedModel, openModel, release, retire } from './loaded-model';

/**
 * Raised when a targeted variant cannot serve: no version of the registry is named for it, or its
 * bundle is unreadable or refused by the compatibility check. The server answers SageMaker's 400
 * ValidationError, the answer an endpoint gives for a variant it does not have.
 */
export class VariantRefusedError extends Error {
  override readonly name = 'VariantRefusedError';
}

/** Loaded non-current versions kept at once. @default 3 */
export const DEFAULT_VARIANT_CAPACITY = 3;

/**
 * The local stand-in for an endpoint's extra production variants: every version in the model
 * directory is a variant, named by `rankerVariantName`. A version loads on its first targeted
 * request and stays loaded, at most `capacity` of them; the least recently used one is released
 * (after its in-flight requests) when another loads. Failed loads are not remembered, so a
 * version published later is found on the next request.
 */
export class VariantPool {
  // Map order is recency order: a hit moves the entry to the end, eviction takes the first.
  readonly #entries = new Map<string, Promise<LoadedModel>>();

  constructor(
    private readonly modelDir: string,
    private readonly servingState: () => Promise<ServingState>,
    private readonly capacity = DEFAULT_VARIANT_CAPACITY,
  ) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError(`capacity must be a positive integer, got ${capacity}`);
    }
  }

  /** Variant names loaded now, least recently used first. */
  get loaded(): string[] {
    return [...this.#entries.keys()];
  }

  /**
   * Runs `fn` with the model of `variant`, loading it first if needed; the model is not released
   * while `fn` runs. Throws VariantRefusedError when the variant cannot serve.
   */
  async use<T>(variant: string, fn: (m: LoadedModel) => Promise<T>): Promise<T> {
    // An entry evicted between its load and this use is retired: load it again (bounded).
    for (let attempt = 0; attempt < 3; attempt++) {
      const m = await this.#get(variant);
      if (m.retired) continue;
      m.inFlight++;
      try {
        return await fn(m);
      } finally {
        m.inFlight--;
        if (m.retired && m.inFlight === 0) void release(m);
      }
    }
    throw new Error(`variant ${variant} was evicted while loading, three times`);
  }

  /** Releases every loaded variant (after their in-flight requests). */
  async close(): Promise<void> {
    const all = [...this.#entries.values()];
    this.#entries.clear();
    await Promise.all(all.map((p) => p.then(retire, () => undefined)));
  }

  #get(variant: string): Promise<LoadedModel> {
    const hit = this.#entries.get(variant);
    if (hit) {
      this.#entries.delete(variant);
      this.#entries.set(variant, hit);
      return hit;
    }
    const loading = this.#load(variant);
    this.#entries.set(variant, loading);
    loading.catch(() => {
      if (this.#entries.get(variant) === loading) this.#entries.delete(variant);
    });
    while (this.#entries.size > this.capacity) {
      const [oldest, evicted] = this.#entries.entries().next().value as [string, Promise<LoadedModel>];
      this.#entries.delete(oldest);
      evicted.then(retire, () => undefined);
    }
    return loading;
  }

  async #load(variant: string): Promise<LoadedModel> {
    const version = await this.#versionOf(variant);
    let bundle: Awaited<ReturnType<typeof readModelBundle>>;
    try {
      bundle = await readModelBundle(this.modelDir, version);
    } catch (err) {
      throw new VariantRefusedError(
        `variant '${variant}' (model ${version}) cannot be read: ${err instanceof Error ? err.message : String(err)}`,
      );
    }
    const why = incompatibility(bundle.manifest, await this.servingState());
    if (why) throw new VariantRefusedError(`variant '${variant}' (model ${version}) refused: ${why}`);
    try {
      return await openModel(bundle.manifest, bundle.model);
    } catch (err) {
      throw new VariantRefusedError(
        `variant '${variant}' (model ${version}) cannot load: ${err instanceof Error ? err.message : String(err)}`,
      );
    }
  }

  /** The registry version whose variant name is `variant` (folder names are versions). */
  async #versionOf(variant: string): Promise<string> {
    const entries = await readdir(this.modelDir, { withFileTypes: true });
    const match = entries.find(
      (e) => e.isDirectory() && !e.name.startsWith('.') && rankerVariantName(e.name) === variant,
    );
    if (!match) {
      throw new VariantRefusedError(
        `variant '${variant}' is not a production variant of this endpoint: no model version in the registry is named for it`,
      );
    }
    return match.name;
  }
}
