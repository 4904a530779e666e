import onnxProto, { type onnx as OnnxTypes } from 'onnx-proto';

const { onnx } = onnxProto;

/** A float tensor: row-major data and its shape. */
interface Tensor {
  readonly dims: readonly number[];
  readonly data: Float32Array;
}

/** The operators the ranker graphs use (local/model-server/onnx-writer.ts), and small MLPs would. */
export const PORTABLE_OPS = ['MatMul', 'Gemm', 'Add', 'Sigmoid', 'Relu', 'Identity'] as const;

/**
 * Evaluates an ONNX ranker graph in plain TypeScript: float tensors, the operators in
 * PORTABLE_OPS, 2-D matrices with NumPy-style broadcasting for `Add`. Why: the origin's CPU
 * fallback must score with the same model as the endpoint wherever the origin runs, and the
 * deployed Lambdas carry no native modules (onnxruntime-node is 25 MB per platform and needs a
 * layer). A graph with any other operator is refused when loaded, not when scoring.
 */
export class PortableOnnxModel {
  private constructor(
    private readonly nodes: readonly { op: string; inputs: string[]; outputs: string[]; transB: boolean }[],
    private readonly initializers: ReadonlyMap<string, Tensor>,
    readonly inputName: string,
    readonly outputName: string,
  ) {}

  /** Parses a serialized ModelProto. @throws Error for an operator or tensor type it cannot run. */
  static fromBytes(bytes: Uint8Array): PortableOnnxModel {
    const model = onnx.ModelProto.decode(bytes);
    const graph = model.graph;
    if (!graph) throw new Error('ONNX model has no graph');
    const initializers = new Map<string, Tensor>();
    for (const t of graph.initializer ?? []) initializers.set(String(t.name), tensorOf(t));
    const nodes = (graph.node ?? []).map((n) => {
      const op = String(n.opType);
      if (!(PORTABLE_OPS as readonly string[]).includes(op))
        throw new Error(`ONNX operator ${op} is not supported by the portable evaluator`);
      const attr = (name: string) => (n.attribute ?? []).find((a) => a.name === name);
      for (const name of ['alpha', 'beta']) {
        const a = attr(name);
        if (a && Number(a.f) !== 1) throw new Error(`Gemm ${name} other than 1 is not supported`);
      }
      if (Number(attr('transA')?.i ?? 0) !== 0) throw new Error('Gemm transA is not supported');
      return {
        op,
        inputs: (n.input ?? []).map(String),
        outputs: (n.output ?? []).map(String),
        transB: Number(attr('transB')?.i ?? 0) === 1,
      };
    });
    const input = (graph.input ?? []).find((i) => !initializers.has(String(i.name)));
    const output = graph.output?.[0];
    if (!input || !output) throw new Error('ONNX graph needs one data input and an output');
    return new PortableOnnxModel(nodes, initializers, String(input.name), String(output.name));
  }

  /** Scores `rows` rows of `cols` features (row-major); returns the output tensor's data. */
  run(features: Float32Array, rows: number, cols: number): Float32Array {
    const values = new Map<string, Tensor>(this.initializers);
    values.set(this.inputName, { dims: [rows, cols], data: features });
    const get = (name: string) => {
      const t = values.get(name);
      if (!t) throw new Error(`ONNX graph reads ${name} before it is computed`);
      return t;
    };
    // ONNX requires nodes in topological order, so one pass computes every value.
    for (const n of this.nodes) {
      const [a, b, c] = n.inputs.map(get);
      let out: Tensor;
      switch (n.op) {
        case 'MatMul':
          out = matmul(a as Tensor, b as Tensor, false);
          break;
        case 'Gemm':
          out = matmul(a as Tensor, b as Tensor, n.transB);
          if (c) out = add(out, c);
          break;
        case 'Add':
          out = add(a as Tensor, b as Tensor);
          break;
        case 'Sigmoid':
          out = map(a as Tensor, (x) => 1 / (1 + Math.exp(-x)));
          break;
        case 'Relu':
          // biome-ignore lint/complexity/useMathMinMax: a NaN feature maps to 0 here; Math.max would pass it on
          out = map(a as Tensor, (x) => (x > 0 ? x : 0));
          break;
        default:
          out = a as Tensor;
      }
      values.set(n.outputs[0] as string, out);
    }
    return get(this.outputName).data;
  }
}

function tensorOf(t: OnnxTypes.ITensorProto): Tensor {
  if (t.dataType !== onnx.TensorProto.DataType.FLOAT) throw new Error(`tensor ${t.name} is not float32`);
  const dims = (t.dims ?? []).map(Number);
  const size = dims.reduce((p, d) => p * d, 1);
  if (t.floatData && t.floatData.length > 0) return { dims, data: Float32Array.from(t.floatData) };
  const raw = t.rawData;
  if (raw && raw.length === size * 4) {
    const copy = new Uint8Array(raw);
    return { dims, data: new Float32Array(copy.buffer, copy.byteOffset, size) };
  }
  throw new Error(`tensor ${t.name} has no data for its ${size} values`);
}

/** As a matrix: [rows, cols]; a vector is one row. */
function shape2(t: Tensor): [number, number] {
  if (t.dims.length === 2) return [t.dims[0] as number, t.dims[1] as number];
  if (t.dims.length <= 1) return [1, (t.dims[0] as number | undefined) ?? 1];
  throw new Error(`tensor of rank ${t.dims.length} is not supported`);
}

function matmul(a: Tensor, b: Tensor, transB: boolean): Tensor {
  const [n, k] = shape2(a);
  const [br, bc] = shape2(b);
  const [kb, m] = transB ? [bc, br] : [br, bc];
  if (k !== kb) throw new Error(`MatMul of [${n},${k}] by [${kb},${m}]`);
  const out = new Float32Array(n * m);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < m; j++) {
      let s = 0;
      for (let p = 0; p < k; p++)
        s += (a.data[i * k + p] as number) * (b.data[transB ? j * k + p : p * m + j] as number);
      out[i * m + j] = s;
    }
  }
  return { dims: [n, m], data: out };
}

function add(a: Tensor, b: Tensor): Tensor {
  const [ar, ac] = shape2(a);
  const [br, bc] = shape2(b);
  const rows = Math.max(ar, br);
  const cols = Math.max(ac, bc);
  if (
    (ar !== rows && ar !== 1) ||
    (br !== rows && br !== 1) ||
    (ac !== cols && ac !== 1) ||
    (bc !== cols && bc !== 1)
  )
    throw new Error(`Add of [${ar},${ac}] and [${br},${bc}] does not broadcast`);
  const out = new Float32Array(rows * cols);
  for (let i = 0; i < rows; i++)
    for (let j = 0; j < cols; j++)
      out[i * cols + j] =
        (a.data[(ar === 1 ? 0 : i) * ac + (ac === 1 ? 0 : j)] as number) +
        (b.data[(br === 1 ? 0 : i) * bc + (bc === 1 ? 0 : j)] as number);
  return { dims: [rows, cols], data: out };
}

function map(a: Tensor, f: (x: number) => number): Tensor {
  const out = new Float32Array(a.data.length);
  for (let i = 0; i < out.length; i++) out[i] = f(a.data[i] as number);
  return { dims: a.dims, data: out };
}
