import { readFile, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import {
  MANIFEST_FILE,
  MODEL_FILE,
  type ModelBundle,
  type ModelManifest,
  manifestSchema,
  readCurrentVersion,
  readModelBundle,
} from '../../local/model-server/bundle';
import { ONNX_INPUT, ONNX_OUTPUT } from '../../local/model-server/onnx-writer';
import type { DependencyHealth } from '../../shared/ports/event-stream';
import type { ModelEndpoint, RankOptions } from '../../shared/ports/model-endpoint';
import { selectFeaturesOrThrow } from '../../shared/ranking/select-features';
import type { RankingRequest, RankingResponse } from '../../shared/schemas/ranking';
import { withTimeout } from '../../shared/timeout';

/** Suffix on `model_version` so a response scored in-process is told apart from the endpoint's. */
export const CPU_VERSION_SUFFIX = '+cpu';

export interface CpuModelEndpointOptions {
  /**
   * Where the bundle is: a model directory with `current.json`, one bundle folder
   * (`<modelDir>/<version>/`), or that folder's `model.onnx` or `manifest.json`; or, with `read`,
   * whatever names the bundle `read` fetches (an `s3://` prefix), for messages.
   */
  path: string;
  /** Budget for one `rank` call unless the call passes its own; unset means no budget. */
  timeoutMs?: number;
  /**
   * What runs the graph: onnxruntime-node (`OnnxCpuModelEndpoint`, native, any operator), or the
   * portable evaluator (`portableEngine`, plain TypeScript, the rankers' operators), which the
   * Lambdas use because they ship no native modules.
   */
  engine: ModelEngine;
  /** Fetches the bundle instead of reading `path` from disk (the Lambdas read it from S3). */
  read?: () => Promise<ModelBundle>;
}

/** What either engine throws for a graph without the model server's input and output names. */
export function graphIoError(manifest: ModelManifest): Error {
  return new Error(`model ${manifest.version} must take '${ONNX_INPUT}' and produce '${ONNX_OUTPUT}'`);
}

/** Opens a bundle's graph for scoring. */
export type ModelEngine = (bundle: ModelBundle) => Promise<LoadedModel>;

/** A bundle ready to score. */
export interface LoadedModel {
  readonly manifest: ModelManifest;
  /** Scores `rows` rows of the manifest's features, row-major. */
  score(matrix: Float32Array, rows: number): Promise<Float32Array>;
  release(): Promise<void>;
}

/**
 * ModelEndpoint that scores in-process on the CPU, from the same bundle the model server serves:
 * the origin's fallback when the endpoint is slow or down. The model loads on first use (or
 * `load()`), so a container whose endpoint stays healthy never pays for it.
 */
export class CpuModelEndpoint implements ModelEndpoint {
  readonly #opts: CpuModelEndpointOptions;
  readonly #timeoutMs: number | undefined;
  #loading: Promise<LoadedModel> | undefined;

  constructor(opts: CpuModelEndpointOptions) {
    this.#opts = opts;
    this.#timeoutMs = opts.timeoutMs;
  }

  /** Loads the bundle once (a failed load is retried on the next call); returns its manifest. */
  async load(): Promise<ModelManifest> {
    return (await this.#session()).manifest;
  }

  /**
   * Scores the request's rows with the bundle's declared features, picked from the request by
   * name. Throws FeatureSchemaError for a request that lacks a declared feature, TimeoutError
   * past the budget, and the load error when the bundle cannot be read. One bundle, one version:
   * an asked `modelVersion` is not honoured, and `model_version` (`<version>+cpu`) says what scored.
   */
  async rank(request: RankingRequest, options: RankOptions = {}): Promise<RankingResponse> {
    const timeoutMs = options.timeoutMs ?? this.#timeoutMs;
    const work = this.#score(request);
    return timeoutMs === undefined ? work : withTimeout(work, timeoutMs, 'in-process ranking');
  }

  async health(): Promise<DependencyHealth> {
    try {
      const m = await this.load();
      return { ok: true, detail: `model ${m.version}${CPU_VERSION_SUFFIX} in-process` };
    } catch (err) {
      return { ok: false, detail: `model not loaded: ${err instanceof Error ? err.message : String(err)}` };
    }
  }

  /** Releases the ONNX session; a later call loads the bundle again. */
  async close(): Promise<void> {
    const loading = this.#loading;
    this.#loading = undefined;
    const loaded = await loading?.catch(() => undefined);
    await loaded?.release();
  }

  async #score(request: RankingRequest): Promise<RankingResponse> {
    const { manifest, score } = await this.#session();
    const matrix = selectFeaturesOrThrow(request, manifest.feature_names);
    const scores = await score(matrix, request.rows);
    if (!(scores instanceof Float32Array) || scores.length !== request.rows) {
      throw new Error(`model ${manifest.version} returned no ${request.rows} float scores`);
    }
    return { scores: Array.from(scores), model_version: `${manifest.version}${CPU_VERSION_SUFFIX}` };
  }

  #session(): Promise<LoadedModel> {
    if (!this.#loading) {
      const { path, read, engine } = this.#opts;
      const loading = (read ? read() : readBundleAt(path)).then(engine);
      this.#loading = loading;
      loading.catch(() => {
        if (this.#loading === loading) this.#loading = undefined;
      });
    }
    return this.#loading;
  }
}

/**
 * Resolves the accepted path forms. A model directory goes through `readModelBundle`; a lone bundle
 * folder is read by the same manifest schema but may be renamed (a Lambda ships it as, say,
 * `/opt/ranker/`), so its name need not equal the manifest's version.
 */
async function readBundleAt(path: string): Promise<ModelBundle> {
  const file = basename(path);
  if (file === MODEL_FILE || file === MANIFEST_FILE) return readBundleFolder(dirname(path));
  if (!(await stat(path)).isDirectory()) {
    throw new Error(`${path} is neither a model directory, a bundle folder nor its ${MODEL_FILE}`);
  }
  const current = await readCurrentVersion(path);
  return current ? readModelBundle(path, current) : readBundleFolder(path);
}

async function readBundleFolder(folder: string): Promise<ModelBundle> {
  const manifest = manifestSchema.parse(JSON.parse(await readFile(join(folder, MANIFEST_FILE), 'utf8')));
  return { manifest, model: new Uint8Array(await readFile(join(folder, MODEL_FILE))) };
}
