import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type VectorMetric, VectorMetricMismatchError } from './metric';
import { type PartitionedIndexOptions, PartitionedVectorIndex } from './partitioned-index';
import { UsearchVectorIndex } from './usearch-index';

const MANIFEST = 'partitions.json';
const PENDING = 'pending.f32';
const GENERATION = /^g\d+$/;

interface Manifest {
  readonly format: 'attune-partitioned-hnsw';
  readonly version: 1;
  readonly metric: VectorMetric;
  readonly dimensions: number;
  /** The `g<N>` folder holding this save's graphs, one `p<i>` folder per centroid (or one, `p0`). */
  readonly generation: number;
  /** Unit centroids; empty until trained. */
  readonly centroids: number[][];
  /** Until trained: `[id, category]` of the records kept to train on, their vectors in `pending.f32`. */
  readonly pending: [string, string | null][] | null;
}

const graphDir = (dir: string, generation: number, p: number) => join(dir, `g${generation}`, `p${p}`);

function readManifest(dir: string): Manifest | undefined {
  const path = join(dir, MANIFEST);
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as Manifest) : undefined;
}

/**
 * Persists the index to `dir`: the graphs into a new generation folder, then `partitions.json`
 * (centroids, metric, which generation) written beside and renamed into place, then older
 * generations deleted. A reader loads either the previous save or this one, never a mix, and a
 * save that dies part way leaves the previous one loadable.
 */
export function savePartitionedIndex(index: PartitionedVectorIndex, dir: string): void {
  mkdirSync(dir, { recursive: true });
  let current = 0;
  try {
    current = readManifest(dir)?.generation ?? 0;
  } catch {
    // An unreadable manifest points at nothing worth keeping.
  }
  const generation = current + 1;
  rmSync(join(dir, `g${generation}`), { recursive: true, force: true });
  const parts = index.parts();
  parts.graphs.forEach((graph, p) => {
    graph.save(graphDir(dir, generation, p));
  });
  if (parts.pending) {
    const vectors = new Float32Array(parts.pending.length * index.dimensions);
    parts.pending.forEach((r, i) => {
      vectors.set(r.vector, i * index.dimensions);
    });
    writeFileSync(join(dir, `g${generation}`, PENDING), vectors);
  }
  const manifest: Manifest = {
    format: 'attune-partitioned-hnsw',
    version: 1,
    metric: index.metric,
    dimensions: index.dimensions,
    generation,
    centroids: parts.centroids.map((c) => Array.from(c)),
    pending: parts.pending?.map((r) => [r.id, r.category ?? null]) ?? null,
  };
  writeFileSync(join(dir, `${MANIFEST}.tmp`), JSON.stringify(manifest));
  renameSync(join(dir, `${MANIFEST}.tmp`), join(dir, MANIFEST));
  for (const name of readdirSync(dir))
    if (GENERATION.test(name) && name !== `g${generation}`)
      rmSync(join(dir, name), { recursive: true, force: true });
}

/**
 * Loads an index saved by `savePartitionedIndex`, or returns undefined when `dir` holds none (a
 * single-graph index saved before partitions counts as none). The partition count comes from the
 * save; `nprobe`, `expansionSearch` and `trainSize` from `opts`. Throws VectorMetricMismatchError
 * when it was saved with another metric than `opts.metric`.
 */
export async function loadPartitionedIndex(
  dir: string,
  opts: PartitionedIndexOptions,
): Promise<PartitionedVectorIndex | undefined> {
  const manifest = readManifest(dir);
  if (!manifest) return undefined;
  const wanted = opts.metric ?? 'cos';
  if (manifest.metric !== wanted) throw new VectorMetricMismatchError(manifest.metric, wanted, dir);
  const graphs = Array.from({ length: Math.max(1, manifest.centroids.length) }, (_, p) => {
    const graph = UsearchVectorIndex.load(graphDir(dir, manifest.generation, p), opts);
    if (!graph) throw new Error(`${dir}: partition ${p} of generation ${manifest.generation} is missing`);
    return graph;
  });
  const parts = { centroids: manifest.centroids.map((c) => Float32Array.from(c)), graphs };
  if (!manifest.pending) return new PartitionedVectorIndex({ ...opts, partitions: graphs.length }, parts);
  // A copy into a fresh buffer: a small file's Buffer may sit at an offset Float32Array cannot view.
  const vectors = new Float32Array(
    new Uint8Array(readFileSync(join(dir, `g${manifest.generation}`, PENDING))).buffer,
  );
  const dims = manifest.dimensions;
  const pending = manifest.pending.map(([id, category], i) => ({
    id,
    vector: vectors.subarray(i * dims, (i + 1) * dims),
    ...(category === null ? {} : { category }),
  }));
  return new PartitionedVectorIndex(opts, { ...parts, pending });
}
