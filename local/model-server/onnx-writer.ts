import onnxProto from 'onnx-proto';
import type { LinearRankerSpec } from './linear-ranker';

const { onnx } = onnxProto;

/** Graph input and output names; the model server binds tensors by these names. */
export const ONNX_INPUT = 'features';
export const ONNX_OUTPUT = 'scores';

// IR 8 / opset 17: old enough for any onnxruntime >= 1.13, new enough for every op used here.
const IR_VERSION = 8;
const OPSET = 17;

/**
 * Serialises a logistic ranker as ONNX: `scores[N,1] = Sigmoid(MatMul(features[N,F], W[F,1]) + b)`.
 * The batch dimension is symbolic (`N`) so one session serves any number of candidates.
 */
export function writeLinearRankerOnnx(spec: LinearRankerSpec): Uint8Array {
  const f = spec.featureNames.length;
  if (spec.weights.length !== f) {
    throw new RangeError(`${spec.weights.length} weights for ${f} features`);
  }
  const float = onnx.TensorProto.DataType.FLOAT;
  const graph = onnx.GraphProto.create({
    name: 'linear_logistic_ranker',
    docString: `features: ${spec.featureNames.join(', ')}`,
    input: [valueInfo(ONNX_INPUT, [{ dimParam: 'N' }, { dimValue: f }])],
    output: [valueInfo(ONNX_OUTPUT, [{ dimParam: 'N' }, { dimValue: 1 }])],
    initializer: [
      onnx.TensorProto.create({ name: 'W', dataType: float, dims: [f, 1], floatData: [...spec.weights] }),
      onnx.TensorProto.create({ name: 'B', dataType: float, dims: [1], floatData: [spec.bias] }),
    ],
    node: [
      node('MatMul', [ONNX_INPUT, 'W'], ['logit']),
      node('Add', ['logit', 'B'], ['z']),
      node('Sigmoid', ['z'], [ONNX_OUTPUT]),
    ],
  });
  const model = onnx.ModelProto.create({
    irVersion: IR_VERSION,
    opsetImport: [{ domain: '', version: OPSET }],
    producerName: 'attune-local',
    producerVersion: '1',
    graph,
  });
  // protobufjs hands back a Node Buffer (maybe a pooled slice); copy into a plain, owned array.
  return new Uint8Array(onnx.ModelProto.encode(model).finish());
}

function valueInfo(name: string, dims: { dimParam?: string; dimValue?: number }[]) {
  return onnx.ValueInfoProto.create({
    name,
    type: { tensorType: { elemType: onnx.TensorProto.DataType.FLOAT, shape: { dim: dims } } },
  });
}

function node(opType: string, input: string[], output: string[]) {
  return onnx.NodeProto.create({ opType, input, output, name: `${opType.toLowerCase()}_${output[0]}` });
}
