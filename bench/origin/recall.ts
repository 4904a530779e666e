import { loadPartitionedIndex } from '../../origin-lambdas/adapters/vector/partition-files';
import type { FlatExactScan } from './exact-scan';
import { progress } from './progress';
import { recallAtK, summarize } from './stats';

/** Recall of one search setting over a query set, and how long its searches took. */
export interface RecallFigure {
  readonly ef: number;
  readonly nprobe: number;
  /** Mean recall@k over the queries. */
  readonly recall: number;
  /** The worst query's recall@k. */
  readonly min: number;
  /** Mean, p50, p95 and p99 ms of one search. */
  readonly search_ms: number;
  readonly p50_ms: number;
  readonly p95_ms: number;
  readonly p99_ms: number;
}

/** The exact top k ids of each query: computed once, compared with every search setting. */
export function exactAnswers(
  exact: FlatExactScan,
  ids: readonly string[],
  queries: readonly (readonly number[])[],
  k: number,
): string[][] {
  const bar = progress(`exact top ${k}`, queries.length, 'queries', 5000);
  const out = queries.map((q) => {
    const top = exact.topK(q, k).map((row) => ids[row] as string);
    bar.add(1);
    return top;
  });
  bar.finish();
  return out;
}

const r4 = (x: number) => Math.round(x * 10_000) / 10_000;

/**
 * Loads the saved index as the runtime does, with per-graph search size `ef`, and measures recall@k
 * against the exact answers at each probe count (the index is loaded once per `ef`: usearch fixes
 * the search size when a graph is loaded, the probe count is chosen per search).
 */
export async function measureRecall(
  dir: string,
  dimensions: number,
  ef: number,
  nprobes: readonly number[],
  queries: readonly (readonly number[])[],
  truth: readonly string[][],
  k: number,
): Promise<{ load_s: number; figures: RecallFigure[] }> {
  const t0 = performance.now();
  const index = await loadPartitionedIndex(dir, { dimensions, expansionSearch: ef });
  if (!index) throw new Error(`no vector index in ${dir}`);
  const loadS = (performance.now() - t0) / 1000;
  const figures = [];
  for (const nprobe of nprobes) {
    let sum = 0;
    let min = 1;
    const ms: number[] = [];
    for (const [i, q] of queries.entries()) {
      const t1 = performance.now();
      const hits = await index.searchProbing(q, k, nprobe);
      ms.push(performance.now() - t1);
      const r = recallAtK(
        truth[i] ?? [],
        hits.map((h) => h.id),
        k,
      );
      sum += r;
      min = Math.min(min, r);
    }
    const s = summarize(ms);
    figures.push({
      ef,
      nprobe,
      recall: r4(sum / Math.max(queries.length, 1)),
      min: r4(min),
      search_ms: Math.round((ms.reduce((a, b) => a + b, 0) / Math.max(ms.length, 1)) * 1000) / 1000,
      p50_ms: s.p50,
      p95_ms: s.p95,
      p99_ms: s.p99,
    });
  }
  return { load_s: Math.round(loadS * 10) / 10, figures };
}
