/**
 * Float vectors as bytes, cut in turn from one allocation: a typed array with a buffer of its own
 * costs an off-heap allocation (microseconds each, and a user row has five vectors), a view into a
 * shared buffer does not. Float64 vectors go first, so that every view is aligned.
 */
export class FloatBytes {
  private readonly bytes: Uint8Array<ArrayBuffer>;
  private at = 0;

  /** @param size Bytes of all the vectors to come: 8 per float64, 4 per float32. */
  constructor(size: number) {
    this.bytes = new Uint8Array(size);
  }

  f64(values: readonly number[]): Uint8Array {
    return this.cut(values, 8);
  }

  f32(values: readonly number[]): Uint8Array {
    return this.cut(values, 4);
  }

  private cut(values: readonly number[], width: 4 | 8): Uint8Array {
    if (this.at % width !== 0) throw new Error('float64 vectors must come before float32 ones');
    const View = width === 8 ? Float64Array : Float32Array;
    new View(this.bytes.buffer, this.at, values.length).set(values);
    const out = this.bytes.subarray(this.at, this.at + values.length * width);
    this.at += values.length * width;
    return out;
  }
}
