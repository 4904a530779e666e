import type { ContentEncoder, ContentInput } from '../ports/content-encoder';

/** FNV-1a, 32-bit: a stable, dependency-free string hash (runs at the edge too). */
export function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Word unigrams and bigrams, character trigrams of each word, and `key=value` metadata tokens. */
export function contentTokens(input: ContentInput): string[] {
  const words = (input.text ?? '')
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^\p{L}\p{N}\s]/gu, ' ')
    .split(/\s+/)
    .filter(Boolean);
  const tokens: string[] = [`modality=${input.modality}`];
  words.forEach((w, i) => {
    tokens.push(`w:${w}`);
    if (i > 0) tokens.push(`b:${words[i - 1]} ${w}`);
    const padded = `#${w}#`;
    for (let j = 0; j + 3 <= padded.length; j++) tokens.push(`c:${padded.slice(j, j + 3)}`);
  });
  for (const [k, v] of Object.entries(input.metadata ?? {})) tokens.push(`m:${k}=${v.toLowerCase()}`);
  return tokens;
}

/**
 * The local ContentEncoder: hashed n-grams with a fixed random projection (a "hashing trick"
 * sketch). It is deterministic and needs no model weights. It captures shared words, spellings
 * and metadata; it does not understand meaning (synonyms, paraphrase), and it cannot see
 * pixels or hear audio: image, video and audio items are encoded from their text and metadata.
 */
export class HashedNgramEncoder implements ContentEncoder {
  readonly spaceVersion: string;
  private readonly buckets: number;
  private readonly seed: number;

  constructor(
    readonly dimensions = 32,
    { buckets = 1 << 16, seed = 17 }: { buckets?: number; seed?: number } = {},
  ) {
    this.buckets = buckets;
    this.seed = seed;
    this.spaceVersion = `hashed-ngram-v1-d${dimensions}-s${seed}`;
  }

  async encode(inputs: readonly ContentInput[]): Promise<Float32Array[]> {
    return inputs.map((input) => this.encodeOne(input));
  }

  /** Synchronous form, for callers on a hot path. */
  encodeOne(input: ContentInput): Float32Array {
    const counts = new Map<number, number>();
    for (const t of contentTokens(input)) {
      const b = fnv1a(`${this.seed}:${t}`) % this.buckets;
      counts.set(b, (counts.get(b) ?? 0) + 1);
    }
    const out = new Float32Array(this.dimensions);
    for (const [bucket, count] of counts) {
      const w = 1 + Math.log(count);
      // Each bucket's projection row is derived from its hash, so no matrix is stored.
      for (let d = 0; d < this.dimensions; d++) {
        const h = fnv1a(`${bucket}:${d}`);
        out[d] = (out[d] as number) + ((h & 1) === 0 ? w : -w) * (((h >>> 1) % 1000) / 1000 + 0.5);
      }
    }
    let norm = 0;
    for (const x of out) norm += x * x;
    norm = Math.sqrt(norm) || 1;
    for (let d = 0; d < out.length; d++) out[d] = (out[d] as number) / norm;
    return out;
  }
}
