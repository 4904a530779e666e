import { type ModelManifest, readCurrentVersion, readModelBundle } from './bundle';
import { BundleRefusedError, incompatibility, readServingState, type ServingState } from './compatibility';
import { type LoadedModel, openModel, release, retire, runModel } from './loaded-model';
import { VariantPool } from './variant-pool';

/** Raised when a request arrives before any model has loaded. */
export class ModelNotLoadedError extends Error {
  override readonly name = 'ModelNotLoadedError';
}

/** Outcome of a reload: the version now serving and whether it differs from the previous one. */
export interface ReloadResult {
  readonly version: string;
  readonly changed: boolean;
}

/**
 * Holds the ONNX session of the current bundle and swaps it without dropping requests: a new
 * session is fully created before the reference moves, each request keeps the model it started
 * with, and a replaced session is released only once its last in-flight request is done.
 */
export class ModelHolder {
  #current: LoadedModel | undefined;
  #queue: Promise<unknown> = Promise.resolve();
  /** The other versions of the registry, loaded when a request targets their variant. */
  readonly variants: VariantPool;

  /**
   * @param servingState what the serving side holds; a bundle that does not fit it is refused and
   * the current model keeps serving. @default the model directory's `serving-state.json`
   */
  constructor(
    private readonly modelDir: string,
    private readonly servingState: () => Promise<ServingState> = () => readServingState(modelDir),
  ) {
    this.variants = new VariantPool(modelDir, servingState);
  }

  /** Manifest of the model serving new requests, if any. */
  get manifest(): ModelManifest | undefined {
    return this.#current?.manifest;
  }

  /** Loads the bundle `current.json` points at; concurrent calls run one after another. */
  reload(): Promise<ReloadResult> {
    return this.#enqueue(async () => {
      const version = await readCurrentVersion(this.modelDir);
      if (!version) throw new Error(`no current model in ${this.modelDir}`);
      return this.#load(version);
    });
  }

  /** Loads a named version regardless of the pointer (the fallback when the current one is refused). */
  loadVersion(version: string): Promise<ReloadResult> {
    return this.#enqueue(() => this.#load(version));
  }

  #enqueue(task: () => Promise<ReloadResult>): Promise<ReloadResult> {
    const next = this.#queue.then(task);
    this.#queue = next.catch(() => undefined);
    return next;
  }

  /** Scores a row-major float32 matrix of `rows` rows with the current model. */
  async score(features: Float32Array, rows: number): Promise<{ scores: number[]; model: ModelManifest }> {
    const m = this.#current;
    if (!m) throw new ModelNotLoadedError('no model loaded');
    m.inFlight++;
    try {
      return { scores: await runModel(m, features, rows), model: m.manifest };
    } finally {
      m.inFlight--;
      if (m.retired && m.inFlight === 0) void release(m);
    }
  }

  /** Releases every session; later `score` calls fail with ModelNotLoadedError. */
  async close(): Promise<void> {
    await this.#queue;
    const m = this.#current;
    this.#current = undefined;
    if (m) await retire(m);
    await this.variants.close();
  }

  async #load(version: string): Promise<ReloadResult> {
    const previous = this.#current;
    if (previous?.manifest.version === version) return { version, changed: false };
    const { manifest, model } = await readModelBundle(this.modelDir, version);
    const why = incompatibility(manifest, await this.servingState());
    if (why) {
      const still = previous ? `still serving ${previous.manifest.version}` : 'no model loaded';
      throw new BundleRefusedError(`bundle ${version} refused (${still}): ${why}`);
    }
    this.#current = await openModel(manifest, model);
    if (previous) await retire(previous);
    return { version, changed: true };
  }
}
