import type * as Ort from 'onnxruntime-node';
import type { ModelBundle } from '../../local/model-server/bundle';
import { ONNX_INPUT, ONNX_OUTPUT } from '../../local/model-server/onnx-writer';
import {
  CpuModelEndpoint,
  type CpuModelEndpointOptions,
  graphIoError,
  type LoadedModel,
} from './cpu-model-endpoint';

export { CPU_VERSION_SUFFIX } from './cpu-model-endpoint';

/**
 * The CPU fallback on onnxruntime-node: for processes that ship the native module (the local
 * origin, the benchmarks, the tests). The Lambdas use `portableEngine` instead.
 */
export class OnnxCpuModelEndpoint extends CpuModelEndpoint {
  constructor(opts: Omit<CpuModelEndpointOptions, 'engine'>) {
    super({ ...opts, engine: onnxRuntimeEngine });
  }
}

async function onnxRuntimeEngine({ manifest, model }: ModelBundle): Promise<LoadedModel> {
  const ort = await onnx();
  // The fallback shares the container with the handler: one thread is plenty for these rankers.
  const session = await ort.InferenceSession.create(model, {
    intraOpNumThreads: 1,
    interOpNumThreads: 1,
  });
  if (!session.inputNames.includes(ONNX_INPUT) || !session.outputNames.includes(ONNX_OUTPUT)) {
    await session.release();
    throw graphIoError(manifest);
  }
  const cols = manifest.feature_names.length;
  return {
    manifest,
    score: async (matrix, rows) => {
      const out = await session.run({ [ONNX_INPUT]: new ort.Tensor('float32', matrix, [rows, cols]) });
      return out[ONNX_OUTPUT]?.data as Float32Array;
    },
    release: () => session.release(),
  };
}

// Loaded on first use, so importing this module costs nothing until the fallback first scores.
let ort: Promise<typeof Ort> | undefined;
const onnx = () => {
  ort ??= import('onnxruntime-node');
  return ort;
};
