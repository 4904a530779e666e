import * as ort from 'onnxruntime-node';
import type { ModelManifest } from './bundle';
import { ONNX_INPUT, ONNX_OUTPUT } from './onnx-writer';

/** An ONNX session of one bundle, with the bookkeeping that lets it be released safely. */
export interface LoadedModel {
  readonly manifest: ModelManifest;
  readonly session: ort.InferenceSession;
  inFlight: number;
  retired: boolean;
}

/** Creates the ONNX session of a read bundle; throws when it lacks the ranker's input or output. */
export async function openModel(manifest: ModelManifest, model: Uint8Array): Promise<LoadedModel> {
  // Two cores shared with everything else locally: one thread per op is plenty for a dot product.
  const session = await ort.InferenceSession.create(model, { intraOpNumThreads: 1, interOpNumThreads: 1 });
  if (!session.inputNames.includes(ONNX_INPUT) || !session.outputNames.includes(ONNX_OUTPUT)) {
    await session.release();
    throw new Error(`model ${manifest.version} must take '${ONNX_INPUT}' and produce '${ONNX_OUTPUT}'`);
  }
  return { manifest, session, inFlight: 0, retired: false };
}

/** One score per row of a row-major float32 matrix of `rows` x the model's declared features. */
export async function runModel(m: LoadedModel, features: Float32Array, rows: number): Promise<number[]> {
  const input = new ort.Tensor('float32', features, [rows, m.manifest.feature_names.length]);
  const out = await m.session.run({ [ONNX_INPUT]: input });
  const scores = out[ONNX_OUTPUT]?.data;
  if (!(scores instanceof Float32Array) || scores.length !== rows) {
    throw new Error(`model ${m.manifest.version} returned no ${rows} float scores`);
  }
  return Array.from(scores);
}

/** Marks a model replaced; its session is released now, or by its last in-flight request. */
export async function retire(m: LoadedModel): Promise<void> {
  m.retired = true;
  if (m.inFlight === 0) await release(m);
}

/** Releases a model's session, swallowing errors. */
export async function release(m: LoadedModel): Promise<void> {
  try {
    await m.session.release();
  } catch {
    // A failed release leaks one small session at worst; never fail a request over it.
  }
}
