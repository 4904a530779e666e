import { describe, expect, it } from 'vitest';
import { parseOriginBenchArgs } from '../../../bench/origin/args';
import { FlatExactScan } from '../../../bench/origin/exact-scan';
import { cpuMs } from '../../../bench/origin/stack';
import { percentileSorted, recallAtK, summarize } from '../../../bench/origin/stats';
import { ExactVectorIndex } from '../../../origin-lambdas/adapters/vector/exact-index';
import { gaussian, seededRandom } from '../../../shared/random';

describe('percentileSorted (nearest rank)', () => {
  it('picks the value at rank ceil(p/100 * n)', () => {
    const sorted = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentileSorted(sorted, 50)).toBe(50);
    expect(percentileSorted(sorted, 95)).toBe(95);
    expect(percentileSorted(sorted, 99)).toBe(99);
    expect(percentileSorted(sorted, 100)).toBe(100);
    expect(percentileSorted(sorted, 0)).toBe(1);
  });

  it('handles one value and no values', () => {
    expect(percentileSorted([7], 99)).toBe(7);
    expect(percentileSorted([], 50)).toBeNaN();
  });
});

describe('summarize', () => {
  it('sorts unsorted samples and rounds to 0.01 ms', () => {
    const s = summarize([10, 1, 4, 3, 2, 9, 8, 7, 6, 5.555]);
    expect(s).toEqual({ count: 10, p50: 5.56, p95: 10, p99: 10, mean: 5.56, max: 10 });
  });
});

describe('recallAtK', () => {
  it('counts the exact top k the approximate answer found, ignoring order and extras', () => {
    expect(recallAtK(['a', 'b', 'c', 'd'], ['d', 'x', 'b', 'a'], 4)).toBe(0.75);
    expect(recallAtK(['a', 'b', 'c'], ['c', 'b', 'a'], 3)).toBe(1);
    // Only the first k of each side count.
    expect(recallAtK(['a', 'b', 'c', 'd'], ['c', 'd', 'a'], 2)).toBe(0);
    expect(recallAtK(['a', 'b'], ['a', 'a'], 2)).toBe(0.5);
  });

  it('is 1 when there is nothing to find', () => {
    expect(recallAtK([], ['a'], 10)).toBe(1);
  });
});

describe('FlatExactScan', () => {
  it('returns the same top k, in the same order, as ExactVectorIndex', async () => {
    const rand = seededRandom(3);
    const dims = 8;
    const rows = 500;
    // Float32 values on both sides, so both scans see identical vectors.
    const matrix = Float32Array.from({ length: rows * dims }, () => gaussian(rand));
    const index = new ExactVectorIndex(dims);
    const id = (r: number) => `item-${String(r).padStart(4, '0')}`;
    await index.upsert(
      Array.from({ length: rows }, (_, r) => ({
        id: id(r),
        vector: Array.from(matrix.subarray(r * dims, (r + 1) * dims)),
      })),
    );
    const scan = new FlatExactScan(matrix, dims);
    for (let q = 0; q < 10; q++) {
      const query = Array.from({ length: dims }, () => gaussian(rand));
      const want = (await index.search(query, 25)).map((h) => h.id);
      expect(scan.topK(query, 25).map(id)).toEqual(want);
    }
  });

  it('returns every row when k exceeds the rows', () => {
    const scan = new FlatExactScan(Float32Array.from([1, 0, 0, 1, -1, 0]), 2);
    expect(scan.topK([1, 0.1], 10)).toEqual([0, 1, 2]);
  });
});

describe('parseOriginBenchArgs', () => {
  it('has the documented defaults', () => {
    const a = parseOriginBenchArgs([]);
    expect(a).toMatchObject({
      items: 10_000,
      requests: 2000,
      concurrency: 8,
      warmup: 200,
      keepData: false,
      connectivity: 32,
      expansionAdd: 256,
      expansionSearch: 256,
      efSweep: [64, 128, 256, 512, 1024],
      partitions: 16,
      nprobe: 4,
      nprobeSweep: [2, 3, 4, 6],
      itemStore: 'memory',
    });
    expect(a.out).toBeUndefined();
  });

  it('reads flags and refuses non-integers', () => {
    const a = parseOriginBenchArgs([
      '--items',
      '100000',
      '--out',
      'x.json',
      '--keep-data',
      '--ef-sweep',
      '32,64',
      '--partitions',
      '24',
      '--nprobe-sweep',
      '1,8',
      '--item-store',
      'dynamodb',
    ]);
    expect(a).toMatchObject({
      items: 100_000,
      out: 'x.json',
      keepData: true,
      efSweep: [32, 64],
      partitions: 24,
      nprobeSweep: [1, 8],
      itemStore: 'dynamodb',
    });
    expect(() => parseOriginBenchArgs(['--item-store', 'redis'])).toThrow(/--item-store/);
    expect(() => parseOriginBenchArgs(['--items', '1.5'])).toThrow(/--items/);
    expect(() => parseOriginBenchArgs(['--nprobe-sweep', '2,0'])).toThrow(/--nprobe-sweep/);
  });
});

describe('cpuMs', () => {
  it("reads a live process's CPU time, which grows as it works, and nothing for a missing one", () => {
    const before = cpuMs(process.pid) as number;
    const until = process.cpuUsage().user + 60_000;
    let x = 0;
    while (process.cpuUsage().user < until) x += Math.sqrt(x + 1);
    expect(x).toBeGreaterThan(0);
    expect(before).toBeGreaterThanOrEqual(0);
    expect(cpuMs(process.pid) as number).toBeGreaterThanOrEqual(before + 40);
    expect(cpuMs(2 ** 22 + 12_345)).toBeUndefined();
  });
});
