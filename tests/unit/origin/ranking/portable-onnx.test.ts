import fc from 'fast-check';
import onnxProto from 'onnx-proto';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { writeLinearRankerOnnx } from '../../../../local/model-server/onnx-writer';
import { PortableOnnxModel } from '../../../../origin-lambdas/recommend/ranking/portable-onnx';

const { onnx } = onnxProto;
const FLOAT = onnx.TensorProto.DataType.FLOAT;

/** What onnxruntime computes for the same bytes: the reference the portable evaluator must match. */
async function reference(bytes: Uint8Array, features: Float32Array, rows: number, cols: number) {
  const session = await ort.InferenceSession.create(bytes);
  try {
    const out = await session.run({
      [session.inputNames[0] as string]: new ort.Tensor('float32', features, [rows, cols]),
    });
    return Array.from(out[session.outputNames[0] as string]?.data as Float32Array);
  } finally {
    await session.release();
  }
}

/** A two-layer MLP as a trainer other than ours might export it: Gemm with transB, Relu, raw tensor bytes. */
function mlpOnnx(w1: number[][], b1: number[], w2: number[], b2: number): Uint8Array {
  const raw = (xs: number[]) => new Uint8Array(Float32Array.from(xs).buffer);
  const hidden = w1.length;
  const f = (w1[0] as number[]).length;
  const vi = (name: string, dims: object[]) =>
    onnx.ValueInfoProto.create({ name, type: { tensorType: { elemType: FLOAT, shape: { dim: dims } } } });
  const graph = onnx.GraphProto.create({
    name: 'mlp',
    input: [vi('x', [{ dimParam: 'N' }, { dimValue: f }])],
    output: [vi('y', [{ dimParam: 'N' }, { dimValue: 1 }])],
    initializer: [
      onnx.TensorProto.create({ name: 'W1', dataType: FLOAT, dims: [hidden, f], rawData: raw(w1.flat()) }),
      onnx.TensorProto.create({ name: 'B1', dataType: FLOAT, dims: [hidden], rawData: raw(b1) }),
      onnx.TensorProto.create({ name: 'W2', dataType: FLOAT, dims: [hidden, 1], floatData: w2 }),
      onnx.TensorProto.create({ name: 'B2', dataType: FLOAT, dims: [1], floatData: [b2] }),
    ],
    node: [
      onnx.NodeProto.create({
        opType: 'Gemm',
        input: ['x', 'W1', 'B1'],
        output: ['h'],
        attribute: [{ name: 'transB', i: 1, type: onnx.AttributeProto.AttributeType.INT }],
      }),
      onnx.NodeProto.create({ opType: 'Relu', input: ['h'], output: ['hr'] }),
      onnx.NodeProto.create({ opType: 'MatMul', input: ['hr', 'W2'], output: ['z'] }),
      onnx.NodeProto.create({ opType: 'Add', input: ['z', 'B2'], output: ['zb'] }),
      onnx.NodeProto.create({ opType: 'Sigmoid', input: ['zb'], output: ['y'] }),
    ],
  });
  const model = onnx.ModelProto.create({ irVersion: 8, opsetImport: [{ domain: '', version: 17 }], graph });
  return new Uint8Array(onnx.ModelProto.encode(model).finish());
}

const weight = fc.float({ min: -3, max: 3, noNaN: true, noDefaultInfinity: true });

describe('PortableOnnxModel', () => {
  it('scores the linear ranker exactly as onnxruntime does', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(weight, { minLength: 1, maxLength: 12 }),
        weight,
        fc.integer({ min: 1, max: 40 }),
        async (weights, bias, rows) => {
          const names = weights.map((_, i) => `f${i}`);
          const bytes = writeLinearRankerOnnx({ featureNames: names, weights, bias });
          const features = Float32Array.from({ length: rows * weights.length }, (_, i) => Math.sin(i * 1.7));
          const mine = PortableOnnxModel.fromBytes(bytes).run(features, rows, weights.length);
          const theirs = await reference(bytes, features, rows, weights.length);
          expect(mine).toHaveLength(rows);
          for (const [i, s] of Array.from(mine).entries()) expect(s).toBeCloseTo(theirs[i] as number, 6);
        },
      ),
      { numRuns: 25 },
    );
  });

  it('runs a Gemm/Relu MLP with raw tensor bytes and matches onnxruntime', async () => {
    const w1 = [
      [0.5, -1, 0.25],
      [1.5, 0.5, -0.75],
    ];
    const bytes = mlpOnnx(w1, [0.1, -0.2], [2, -1], 0.3);
    const features = Float32Array.from([1, 2, 3, -1, 0, 4, 0.5, 0.5, 0.5]);
    const mine = Array.from(PortableOnnxModel.fromBytes(bytes).run(features, 3, 3));
    const theirs = await reference(bytes, features, 3, 3);
    for (const [i, s] of mine.entries()) expect(s).toBeCloseTo(theirs[i] as number, 6);
    // By hand for the first row: h = relu([0.5-2+0.75+0.1, 1.5+1-2.25-0.2]) = [0, 0.05]; y = sigmoid(-0.05+0.3).
    expect(mine[0]).toBeCloseTo(1 / (1 + Math.exp(-0.25)), 6);
  });

  it('refuses a graph with an operator it cannot run when loading it', () => {
    const graph = onnx.GraphProto.create({
      input: [{ name: 'x' }],
      output: [{ name: 'y' }],
      node: [onnx.NodeProto.create({ opType: 'Tanh', input: ['x'], output: ['y'] })],
    });
    const bytes = onnx.ModelProto.encode(onnx.ModelProto.create({ irVersion: 8, graph })).finish();
    expect(() => PortableOnnxModel.fromBytes(bytes)).toThrow('ONNX operator Tanh is not supported');
  });
});
