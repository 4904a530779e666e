import type { ModelBundle } from '../../local/model-server/bundle';
import { ONNX_INPUT, ONNX_OUTPUT } from '../../local/model-server/onnx-writer';
import { PortableOnnxModel } from '../recommend/ranking/portable-onnx';
import { graphIoError, type LoadedModel } from './cpu-model-endpoint';

/** `CpuModelEndpoint`'s engine in plain TypeScript (`PortableOnnxModel`): what the Lambdas run. */
export async function portableEngine({ manifest, model }: ModelBundle): Promise<LoadedModel> {
  const graph = PortableOnnxModel.fromBytes(model);
  if (graph.inputName !== ONNX_INPUT || graph.outputName !== ONNX_OUTPUT) {
    throw graphIoError(manifest);
  }
  const cols = manifest.feature_names.length;
  return {
    manifest,
    score: async (matrix, rows) => graph.run(matrix, rows, cols),
    release: async () => undefined,
  };
}
