import { OnnxCpuModelEndpoint } from '../adapters/onnx-cpu-model-endpoint';
import { LazyVectorIndex, loadEmbeddedIndex } from '../adapters/vector/embedded-index';
import type { NativeAdapters } from './runtime';

/**
 * The native adapters for processes that ship usearch and onnxruntime-node: the local origin,
 * the benchmarks and the tests. The embedded index loads from ATTUNE_VECTOR_DIR when present,
 * otherwise (or when it was saved with another VECTOR_METRIC) it is built from the items table on
 * first use.
 */
export const NATIVE_ADAPTERS: NativeAdapters = {
  embeddedIndex: (config, doc) =>
    new LazyVectorIndex(config.VECTOR_DIMENSIONS, () =>
      loadEmbeddedIndex({
        doc,
        prefix: config.ATTUNE_TABLE_PREFIX,
        dimensions: config.VECTOR_DIMENSIONS,
        metric: config.VECTOR_METRIC,
        partitions: config.VECTOR_PARTITIONS,
        nprobe: config.VECTOR_NPROBE,
        ...(config.ATTUNE_VECTOR_DIR ? { dir: config.ATTUNE_VECTOR_DIR } : {}),
      }),
    ),
  cpuModel: (path) => new OnnxCpuModelEndpoint({ path }),
};
