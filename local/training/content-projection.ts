import type { ContentEncoder, ContentInput } from '../../shared/ports/content-encoder';
import { choleskySolve } from './linalg';

/**
 * Content vectors projected into the CF space, for items collaborative filtering knows nothing
 * about (new, cold items of any modality). A ridge regression W (content dims x CF dims) is fit
 * on the items that have both vectors, so `content · W` lands near where CF would have put the
 * item. It can only be as good as the encoder: the local hashed encoder sees words and metadata,
 * not meaning, pixels or sound.
 */
export async function projectContent(args: {
  readonly encoder: ContentEncoder;
  readonly inputs: readonly ContentInput[];
  /** CF vectors, row-major, one row per input. */
  readonly cf: Float64Array;
  readonly cfDims: number;
  /** Rows whose CF vector was learned (the fit uses only these). */
  readonly learned: (row: number) => boolean;
  /** @default 1 */
  readonly ridge?: number;
}): Promise<{ content: Float32Array[]; projected: Float64Array; fitRows: number }> {
  const { encoder, inputs, cf, cfDims: k } = args;
  const content = await encoder.encode(inputs);
  const d = encoder.dimensions;
  const xtx = new Float64Array(d * d);
  const xty = new Float64Array(d * k);
  let fitRows = 0;
  content.forEach((x, r) => {
    if (!args.learned(r)) return;
    fitRows++;
    for (let i = 0; i < d; i++) {
      const xi = x[i] as number;
      for (let j = 0; j < d; j++) xtx[i * d + j] = (xtx[i * d + j] as number) + xi * (x[j] as number);
      for (let c = 0; c < k; c++)
        xty[i * k + c] = (xty[i * k + c] as number) + xi * (cf[r * k + c] as number);
    }
  });
  for (let i = 0; i < d; i++) xtx[i * d + i] = (xtx[i * d + i] as number) + (args.ridge ?? 1);
  const w = new Float64Array(d * k);
  for (let c = 0; c < k; c++) {
    const a = Float64Array.from(xtx);
    const b = Float64Array.from({ length: d }, (_, i) => xty[i * k + c] as number);
    choleskySolve(a, b, d);
    for (let i = 0; i < d; i++) w[i * k + c] = b[i] as number;
  }
  const projected = new Float64Array(inputs.length * k);
  content.forEach((x, r) => {
    for (let c = 0; c < k; c++) {
      let s = 0;
      for (let i = 0; i < d; i++) s += (x[i] as number) * (w[i * k + c] as number);
      projected[r * k + c] = s;
    }
  });
  return { content, projected, fitRows };
}
