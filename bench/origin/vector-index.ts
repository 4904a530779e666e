import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import {
  loadPartitionedIndex,
  savePartitionedIndex,
} from '../../origin-lambdas/adapters/vector/partition-files';
import { PartitionedVectorIndex } from '../../origin-lambdas/adapters/vector/partitioned-index';
import type { CatalogItem } from '../../shared/ports/item-catalog';
import { log, progress } from './progress';

const BATCH = 10_000;

/** Index build settings: all fixed when the index is built and saved with it. */
export interface IndexSettings {
  /** HNSW graph degree of every partition's graph. */
  readonly connectivity: number;
  readonly expansionAdd: number;
  /** Partitions (k-means clusters), each its own graph; trained on the first batch. */
  readonly partitions: number;
}

/** Total size of the files under `dir`, in bytes. */
function dirBytes(dir: string): number {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .reduce((sum, e) => sum + statSync(join(e.parentPath, e.name)).size, 0);
}

const rssMb = () => Math.round(process.memoryUsage().rss / 2 ** 20);

/**
 * Builds the embedded index (partitioned HNSW) over the catalog's embeddings in batches of
 * 10,000 (the partitions are trained on the first; usearch adds with every core), saves it to
 * `dir` as the runtime loads it (`ATTUNE_VECTOR_DIR`), and returns the embeddings as one flat
 * matrix for the exact scan.
 */
export async function buildVectorIndex(
  items: readonly CatalogItem[],
  dimensions: number,
  dir: string,
  settings: IndexSettings,
) {
  const index = new PartitionedVectorIndex({
    dimensions,
    connectivity: settings.connectivity,
    expansionAdd: settings.expansionAdd,
    partitions: settings.partitions,
    trainSize: Math.min(BATCH, items.length),
  });
  const matrix = new Float32Array(items.length * dimensions);
  const bar = progress('index build (partitioned HNSW)', items.length, 'vectors', 5000);
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
  const rssAfterBuild = rssMb();
  const sizes = index.partitionSizes();
  log(`partitions: ${sizes.length}, ${Math.min(...sizes)} to ${Math.max(...sizes)} vectors each`);
  const t0 = performance.now();
  savePartitionedIndex(index, dir);
  const saveS = (performance.now() - t0) / 1000;
  const bytes = dirBytes(dir);
  log(`index saved to ${dir} (${(bytes / 2 ** 20).toFixed(1)} MB) in ${saveS.toFixed(1)} s`);
  return {
    matrix,
    report: {
      build_s: built.seconds,
      vectors_per_s: built.perSecond,
      save_s: Math.round(saveS * 10) / 10,
      mb: Math.round(bytes / 2 ** 20),
      rss_after_build_mb: rssAfterBuild,
      connectivity: settings.connectivity,
      expansion_add: settings.expansionAdd,
      partitions: sizes.length,
      partition_sizes: { min: Math.min(...sizes), max: Math.max(...sizes) },
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
  const index = await loadPartitionedIndex(dir, { dimensions });
  if (!index)
    throw new Error(
      `--reuse-index: no saved partitioned index in ${dir} (run once with --keep-data --data-dir)`,
    );
  const size = await index.size();
  if (size !== items.length)
    throw new Error(`--reuse-index: ${dir} holds ${size} vectors, the catalog has ${items.length}`);
  const matrix = new Float32Array(items.length * dimensions);
  items.forEach((item, i) => {
    matrix.set(item.embedding, i * dimensions);
  });
  const bytes = dirBytes(dir);
  log(`index reused from ${dir} (${(bytes / 2 ** 20).toFixed(1)} MB, ${size} vectors)`);
  return {
    matrix,
    report: {
      reused: true,
      load_s: Math.round((performance.now() - t0) / 100) / 10,
      mb: Math.round(bytes / 2 ** 20),
      partitions: index.partitionSizes().length,
    },
  };
}
