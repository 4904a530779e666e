import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateCatalog } from '../../local/seed/catalog';
import { ExactVectorIndex } from '../../origin-lambdas/adapters/vector/exact-index';
import { VectorMetricMismatchError } from '../../origin-lambdas/adapters/vector/metric';
import {
  loadPartitionedIndex,
  savePartitionedIndex,
} from '../../origin-lambdas/adapters/vector/partition-files';
import {
  type PartitionedIndexOptions,
  PartitionedVectorIndex,
} from '../../origin-lambdas/adapters/vector/partitioned-index';
import { UsearchVectorIndex } from '../../origin-lambdas/adapters/vector/usearch-index';
import type { VectorRecord } from '../../shared/ports/vector-index';
import { gaussian, seededRandom } from '../../shared/random';

const CATEGORIES = ['x', 'y', 'z'] as const;

/** 40 records around each axis of 3-d space, category = axis, ids `x-0`..`z-39`. */
function axisRecords(): VectorRecord[] {
  const rand = seededRandom(11);
  return CATEGORIES.flatMap((category, axis) =>
    Array.from({ length: 40 }, (_, i) => ({
      id: `${category}-${i}`,
      category,
      vector: [0, 1, 2].map((d) => (d === axis ? 1 : 0) + 0.05 * gaussian(rand)),
    })),
  );
}

const RECORDS = axisRecords();
const make = (opts: Partial<PartitionedIndexOptions> = {}) =>
  new PartitionedVectorIndex({ dimensions: 3, partitions: 3, nprobe: 1, trainSize: RECORDS.length, ...opts });

async function trained(opts: Partial<PartitionedIndexOptions> = {}) {
  const index = make(opts);
  await index.upsert(RECORDS);
  return index;
}

const ids = (hits: { id: string }[]) => hits.map((h) => h.id);

describe('PartitionedVectorIndex', () => {
  it('is one graph until it holds trainSize vectors, then splits them by direction', async () => {
    const index = make();
    await index.upsert(RECORDS.filter((_, i) => i % 2 === 0));
    expect(index.trained).toBe(false);
    expect(index.partitionSizes()).toEqual([60]);
    expect(ids(await index.search([0, 0, 1], 1))[0]).toMatch(/^z-/);

    await index.upsert(RECORDS.filter((_, i) => i % 2 === 1));

    expect(index.trained).toBe(true);
    expect(await index.size()).toBe(120);
    expect(index.partitionSizes()).toEqual([40, 40, 40]);
    const partitionOf = (category: string) =>
      new Set(RECORDS.filter((r) => r.category === category).map((r) => index.partitionOfId(r.id)));
    expect(CATEGORIES.map((c) => partitionOf(c).size)).toEqual([1, 1, 1]);
    expect(new Set(CATEGORIES.flatMap((c) => [...partitionOf(c)])).size).toBe(3);
  });

  it('finds the neighbours of a query between two clusters once it probes both', async () => {
    const index = await trained();
    const exact = new ExactVectorIndex(3);
    await exact.upsert(RECORDS);
    const between = [1, 0.97, 0];
    const truth = ids(await exact.search(between, 20));
    expect(new Set(truth.map((id) => id[0]))).toEqual(new Set(['x', 'y']));

    const oneProbe = ids(await index.searchProbing(between, 20, 1));
    expect(new Set(oneProbe.map((id) => id[0])).size).toBe(1);
    expect(ids(await index.searchProbing(between, 20, 2))).toEqual(truth);
  });

  it('probes past nprobe for a category filter and when the probed partitions hold fewer than k', async () => {
    const index = await trained();
    const zOnly = await index.search([1, 0, 0], 10, {
      categories: new Set(['z']),
      excludeIds: new Set(['z-3']),
    });
    expect(zOnly).toHaveLength(10);
    expect(zOnly.every((h) => h.id.startsWith('z-') && h.id !== 'z-3')).toBe(true);
    expect(await index.search([1, 0, 0], 100, { categories: new Set(['z']) })).toHaveLength(40);
    expect(await index.search([1, 0, 0], 10, { categories: new Set(['none']) })).toEqual([]);
    // One probe holds 40 vectors: the next partitions make up the 50.
    expect(await index.search([1, 0, 0], 50)).toHaveLength(50);
  });

  it('moves an updated vector to the partition of its new direction', async () => {
    const index = await trained();
    const zPartition = index.partitionOfId('z-0');

    await index.upsert([{ id: 'x-0', vector: [0, 0, 2], category: 'z' }]);

    expect(index.partitionOfId('x-0')).toBe(zPartition);
    expect(await index.size()).toBe(120);
    expect([...index.partitionSizes()].sort()).toEqual([39, 40, 41]);
    expect(ids(await index.search([1, 0, 0], 39))).not.toContain('x-0');
    expect(ids(await index.search([0, 0, 1], 41))).toContain('x-0');
    expect(ids(await index.search([1, 0, 0], 40, { categories: new Set(['x']) }))).not.toContain('x-0');
    expect(ids(await index.search([1, 0, 0], 41, { categories: new Set(['z']) }))).toContain('x-0');
  });

  it('has applied a write, training included, by the time the call returns', async () => {
    const index = make();
    await index.upsert(RECORDS.slice(0, 60));

    const training = index.upsert(RECORDS.slice(60));
    const moving = index.upsert([{ id: 'x-0', vector: [0, 0, 1], category: 'z' }]);

    // Nothing awaited yet: a search queued now already sees both writes whole.
    expect(index.trained).toBe(true);
    expect(index.partitionOfId('x-0')).toBe(index.partitionOfId('z-0'));
    expect(index.partitionSizes().reduce((a, b) => a + b)).toBe(120);
    await Promise.all([training, moving]);
  });

  it('removes ids from their partition and ignores unknown ones', async () => {
    const index = await trained();
    await index.remove(['x-1', 'nobody']);
    expect(await index.size()).toBe(119);
    expect(index.partitionOfId('x-1')).toBeUndefined();
    expect(ids(await index.search([1, 0, 0], 119))).not.toContain('x-1');
    expect([...index.partitionSizes()].sort()).toEqual([39, 40, 40]);
  });

  it('keeps the last write of an id repeated in one batch, once', async () => {
    const index = await trained();
    await index.upsert([
      { id: 'twice', vector: [1, 0, 0], category: 'x' },
      { id: 'twice', vector: [0, 1, 0], category: 'y' },
    ]);
    expect(await index.size()).toBe(121);
    expect(index.partitionOfId('twice')).toBe(index.partitionOfId('y-0'));
    expect(ids(await index.search([1, 1, 1], 121)).filter((id) => id === 'twice')).toHaveLength(1);
  });

  it('ranks by inner product across partitions under ip', async () => {
    const index = await trained({ metric: 'ip' });
    await index.upsert([
      { id: 'long-x', vector: [3, 0, 0], category: 'x' },
      { id: 'long-y', vector: [0, 5, 0], category: 'y' },
    ]);
    const hits = await index.searchProbing([1, 0.8, 0], 2, 2);
    expect(ids(hits)).toEqual(['long-y', 'long-x']);
    expect(hits.map((h) => h.score)).toEqual([expect.closeTo(4, 5), expect.closeTo(3, 5)]);
  });

  it('refuses a batch with a vector of the wrong width before storing any of it', async () => {
    const index = await trained();
    await expect(
      index.upsert([
        { id: 'ok', vector: [1, 0, 0] },
        { id: 'bad', vector: [1, 0] },
      ]),
    ).rejects.toThrow(/dimensions/);
    expect(await index.size()).toBe(120);
  });

  it('stays one graph while it holds only zero vectors', async () => {
    const index = make({ trainSize: 2 });
    await index.upsert([
      { id: 'a', vector: [0, 0, 0] },
      { id: 'b', vector: [0, 0, 0] },
    ]);
    expect(index.trained).toBe(false);
    expect(await index.size()).toBe(2);
    expect(index.partitionSizes()).toEqual([2]);
  });

  it('reaches recall@100 of 0.95 on queries between two categories of the demo catalog', async () => {
    const catalog = generateCatalog({ items: 12_000 });
    const records = catalog.map((i) => ({ id: i.item_id, vector: i.embedding, category: i.category }));
    // Trained on the first batch, as a large catalog would be.
    const index = new PartitionedVectorIndex({ dimensions: 32, trainSize: 3000 });
    const exact = new ExactVectorIndex(32);
    for (let i = 0; i < records.length; i += 3000) await index.upsert(records.slice(i, i + 3000));
    await exact.upsert(records);
    // A user's taste as the bench shapes it: the sum of items from two categories.
    const rand = seededRandom(5);
    const pick = (c: number) => catalog[c + 12 * Math.floor(rand() * 1000)]?.embedding ?? [];
    const queries = Array.from({ length: 40 }, (_, n) => {
      const [a, b] = [pick(n % 12), pick((n + 1 + (n % 5)) % 12)];
      return a.map((x, d) => x + (b[d] as number));
    });

    let found = 0;
    for (const q of queries) {
      const truth = new Set(ids(await exact.search(q, 100)));
      for (const h of await index.search(q, 100)) if (truth.has(h.id)) found++;
    }

    expect(index.partitionSizes()).toHaveLength(16);
    expect(found / (queries.length * 100)).toBeGreaterThanOrEqual(0.95);
  });
});

describe('partitioned index files', () => {
  const root = mkdtempSync(join(tmpdir(), 'attune-partitions-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const queries = [
    [1, 0.97, 0],
    [0, 0.2, 1],
    [0.5, 0.5, 0.5],
  ];

  it('saves and loads a trained index with the same answers, and keeps updating it', async () => {
    const dir = join(root, 'trained');
    const index = await trained();
    savePartitionedIndex(index, dir);

    const loaded = await loadPartitionedIndex(dir, { dimensions: 3, nprobe: 1 });

    expect(loaded?.trained).toBe(true);
    expect(await loaded?.size()).toBe(120);
    expect(loaded?.partitionSizes()).toEqual(index.partitionSizes());
    for (const q of queries) {
      expect(await loaded?.search(q, 15)).toEqual(await index.search(q, 15));
      expect(await loaded?.search(q, 5, { categories: new Set(['y']) })).toEqual(
        await index.search(q, 5, { categories: new Set(['y']) }),
      );
    }
    await loaded?.upsert([{ id: 'x-0', vector: [0, 0, 1], category: 'z' }]);
    expect(loaded?.partitionOfId('x-0')).toBe(loaded?.partitionOfId('z-0'));
  });

  it('saves an untrained index with its records, and replaces the previous save', async () => {
    const dir = join(root, 'untrained');
    const index = make();
    await index.upsert(RECORDS.slice(0, 30));
    savePartitionedIndex(index, dir);
    const loaded = await loadPartitionedIndex(dir, { dimensions: 3, partitions: 3, trainSize: 120 });
    expect(loaded?.trained).toBe(false);
    for (const q of queries) expect(await loaded?.search(q, 10)).toEqual(await index.search(q, 10));
    // The records kept to train on came back too: the loaded index trains on them and the rest.
    await loaded?.upsert(RECORDS.slice(30));
    expect(loaded?.trained).toBe(true);
    expect(loaded?.partitionSizes()).toEqual([40, 40, 40]);

    savePartitionedIndex(await trained(), dir);

    expect(readdirSync(dir).sort()).toEqual(['g2', 'partitions.json']);
    expect((await loadPartitionedIndex(dir, { dimensions: 3 }))?.trained).toBe(true);
  });

  it('records its metric and refuses to load under another one', async () => {
    const dir = join(root, 'ip');
    savePartitionedIndex(await trained({ metric: 'ip' }), dir);
    expect((await loadPartitionedIndex(dir, { dimensions: 3, metric: 'ip' }))?.metric).toBe('ip');
    await expect(loadPartitionedIndex(dir, { dimensions: 3 })).rejects.toThrow(VectorMetricMismatchError);
  });

  it('finds no saved index in a missing folder or a single-graph one', async () => {
    expect(await loadPartitionedIndex(join(root, 'missing'), { dimensions: 3 })).toBeUndefined();
    const single = new UsearchVectorIndex({ dimensions: 3 });
    await single.upsert(RECORDS);
    single.save(join(root, 'single'));
    expect(await loadPartitionedIndex(join(root, 'single'), { dimensions: 3 })).toBeUndefined();
  });
});
