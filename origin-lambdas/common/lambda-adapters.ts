import { S3Client } from '@aws-sdk/client-s3';
import { CpuModelEndpoint } from '../adapters/cpu-model-endpoint';
import { portableEngine } from '../adapters/portable-engine';
import { readS3ModelBundle } from '../adapters/s3-model-bundle';
import type { NativeAdapters } from './runtime';

/**
 * What the deployed Lambdas inject (they ship no native modules): the CPU fallback runs the same
 * ONNX model with the portable evaluator, from an `s3://` bundle (FALLBACK_MODEL_PATH, set by the
 * API stack) or a path in the function's file system.
 */
export const LAMBDA_ADAPTERS: NativeAdapters = {
  cpuModel: (path) =>
    new CpuModelEndpoint({
      path,
      engine: portableEngine,
      ...(path.startsWith('s3://') ? { read: () => readS3ModelBundle(path, new S3Client({})) } : {}),
    }),
};
