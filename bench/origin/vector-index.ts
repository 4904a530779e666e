import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { UsearchVectorIndex } from '../../origin-lambdas/adapters/vector/usearch-index';
import type { CatalogItem } from '../../shared/ports/item-catalog';
import type { FlatExactScan } from './exact-scan';
import { log, progress } from './progress';
import { recallAtK } from './stats';

const BATCH = 10_000;

/** HNSW settings: the first two are fixed when the graph is built and travel in the index file. */
export interface HnswSettings {
  readonly connectivity: number;
  readonly expansionAdd: number;
}

/**
 * Builds the embedded HNSW index over the catalog's embeddings in batches (usearch adds with
 * every core), saves it to `dir` as the runtime loads it (`ATTUNE_VECTOR_DIR`), and returns the
 * embeddings as one flat matrix for the exact scan.
 */
export async function buildVectorIndex(
  items: readonly CatalogItem[],
  dimensions: number,
  dir: string,
  settings: HnswSettings,
) {
  const index = new UsearchVectorIndex({ dimensions, ...settings });
  const matrix = new Float32Array(items.length * dimensions);
  const bar = progress('index build (usearch HNSW)', items.length, 'vectors', 5000);
  for (let start = 0; start < items.length; start += BATCH) {
    const part = items.slice(start, start + BATCH);
    part.forEach((item, i) => {
      matrix.set(item.embedding, (start + i) * dimensions);
    });
    await index.upsert(
      part.map((item, i) => ({
        id: item.item_id,
        vector: matrix.subarray((start + i) * dimensions, (start + i + 1) * dimensions),
        category: item.category,
      })),
    );
    bar.add(part.length);
  }
  const built = bar.finish();
  const t0 = performance.now();
  index.save(dir);
  const saveS = (performance.now() - t0) / 1000;
  const bytes = readdirSync(dir).reduce((sum, f) => sum + statSync(join(dir, f)).size, 0);
  log(`index saved to ${dir} (${(bytes / 2 ** 20).toFixed(1)} MB) in ${saveS.toFixed(1)} s`);
  return {
    matrix,
    report: {
      build_s: built.seconds,
      vectors_per_s: built.perSecond,
      save_s: Math.round(saveS * 10) / 10,
      mb: Math.round(bytes / 2 ** 20),
      connectivity: settings.connectivity,
      expansion_add: settings.expansionAdd,
    },
  };
}

/**
 * Loads the index a previous `--keep-data` run saved to `dir` instead of building it; the
 * embeddings matrix (for the exact scan) is rebuilt from the generated catalog, which is the
 * same for the same `--items`. Refuses an index whose size differs from the catalog's.
 */
export async function reuseVectorIndex(items: readonly CatalogItem[], dimensions: number, dir: string) {
  const t0 = performance.now();
  const index = UsearchVectorIndex.load(dir, { dimensions });
  if (!index)
    throw new Error(`--reuse-index: no saved index in ${dir} (run once with --keep-data --data-dir)`);
  const size = await index.size();
  if (size !== items.length)
    throw new Error(`--reuse-index: ${dir} holds ${size} vectors, the catalog has ${items.length}`);
  const matrix = new Float32Array(items.length * dimensions);
  items.forEach((item, i) => {
    matrix.set(item.embedding, i * dimensions);
  });
  const bytes = readdirSync(dir).reduce((sum, f) => sum + statSync(join(dir, f)).size, 0);
  log(`index reused from ${dir} (${(bytes / 2 ** 20).toFixed(1)} MB, ${size} vectors)`);
  return {
    matrix,
    report: {
      reused: true,
      load_s: Math.round((performance.now() - t0) / 100) / 10,
      mb: Math.round(bytes / 2 ** 20),
    },
  };
}

/** The exact top k ids of each query: computed once, compared with every search size. */
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

/**
 * Loads the saved index as the runtime does, with search size `expansionSearch`, and measures
 * mean and worst recall@k against the exact answers, and the mean search time.
 */
export async function measureRecall(
  dir: string,
  dimensions: number,
  expansionSearch: number,
  queries: readonly (readonly number[])[],
  truth: readonly string[][],
  k: number,
): Promise<{ recall: number; min: number; search_ms: number; load_s: number }> {
  const t0 = performance.now();
  const index = UsearchVectorIndex.load(dir, { dimensions, expansionSearch });
  if (!index) throw new Error(`no vector index in ${dir}`);
  const loadS = (performance.now() - t0) / 1000;
  let sum = 0;
  let min = 1;
  let searchMs = 0;
  for (const [i, q] of queries.entries()) {
    const t1 = performance.now();
    const hits = await index.search(q, k);
    searchMs += performance.now() - t1;
    const r = recallAtK(
      truth[i] ?? [],
      hits.map((h) => h.id),
      k,
    );
    sum += r;
    min = Math.min(min, r);
  }
  const n = Math.max(queries.length, 1);
  return {
    recall: Math.round((sum / n) * 10_000) / 10_000,
    min: Math.round(min * 10_000) / 10_000,
    search_ms: Math.round((searchMs / n) * 1000) / 1000,
    load_s: Math.round(loadS * 10) / 10,
  };
}
