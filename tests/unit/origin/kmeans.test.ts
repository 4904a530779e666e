import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nearestCentroid, probeOrder } from '../../../origin-lambdas/adapters/vector/centroids';
import { sphericalKMeans } from '../../../origin-lambdas/adapters/vector/kmeans';
import { gaussian, seededRandom } from '../../../shared/random';

const AXES = [
  [1, 0, 0],
  [0, 1, 0],
  [0, 0, 1],
];

/** `perAxis` points around each axis, with noise of norm ~0.1 and lengths from 0.5 to 3. */
function axisClusters(perAxis: number, seed = 5): number[][] {
  const rand = seededRandom(seed);
  return AXES.flatMap((axis) =>
    Array.from({ length: perAxis }, () => {
      const length = 0.5 + 2.5 * rand();
      return axis.map((x) => length * (x + 0.06 * gaussian(rand)));
    }),
  );
}

const dot = (a: ArrayLike<number>, b: ArrayLike<number>) =>
  Array.from(a).reduce((s, x, i) => s + x * (b[i] as number), 0);

describe('sphericalKMeans', () => {
  it('finds the directions of well-separated clusters, whatever the vectors lengths', () => {
    const centroids = sphericalKMeans(axisClusters(50), 3, { k: 3 });

    expect(centroids).toHaveLength(3);
    for (const c of centroids) expect(Math.hypot(...c)).toBeCloseTo(1, 5);
    // Each axis has one centroid pointing along it.
    for (const axis of AXES) expect(Math.max(...centroids.map((c) => dot(c, axis)))).toBeGreaterThan(0.99);
  });

  it('is deterministic for a seed', () => {
    const points = axisClusters(40, 9);
    expect(sphericalKMeans(points, 3, { k: 5, seed: 3 })).toEqual(
      sphericalKMeans(points, 3, { k: 5, seed: 3 }),
    );
  });

  it('returns fewer clusters than asked when there are fewer directions, and none for zero vectors', () => {
    const sameWay = [
      [1, 1],
      [2, 2],
      [0.5, 0.5],
      [0, 0],
    ];
    const [only, ...rest] = sphericalKMeans(sameWay, 2, { k: 3 });
    expect(rest).toEqual([]);
    expect(Array.from(only ?? [])).toEqual([
      expect.closeTo(Math.SQRT1_2, 6),
      expect.closeTo(Math.SQRT1_2, 6),
    ]);
    expect(sphericalKMeans([[0, 0]], 2, { k: 2 })).toEqual([]);
    expect(sphericalKMeans([], 2, { k: 2 })).toEqual([]);
  });

  it('clusters a sample when asked for fewer vectors than it is given', () => {
    const centroids = sphericalKMeans(axisClusters(500), 3, { k: 3, sample: 60 });
    expect(centroids).toHaveLength(3);
    for (const axis of AXES) expect(Math.max(...centroids.map((c) => dot(c, axis)))).toBeGreaterThan(0.99);
  });
});

describe('centroid probes', () => {
  const centroids = AXES.map((a) => Float32Array.from(a));

  it('orders partitions by the dot product of their centroid with the query', () => {
    expect(probeOrder(centroids, [0.2, -1, 0.7])).toEqual([2, 0, 1]);
    expect(nearestCentroid(centroids, [0.2, -1, 0.7])).toBe(2);
  });

  it('breaks ties by the lower partition', () => {
    expect(probeOrder(centroids, [1, 1, 0])).toEqual([0, 1, 2]);
    expect(nearestCentroid(centroids, [0, 0, 0])).toBe(0);
  });

  it('probes the nearest centroid first, and every partition once', () => {
    fc.assert(
      fc.property(
        fc.array(fc.float({ min: -10, max: 10, noNaN: true }), { minLength: 3, maxLength: 3 }),
        (q) => {
          const order = probeOrder(centroids, q);
          expect([...order].sort()).toEqual([0, 1, 2]);
          expect(order[0]).toBe(nearestCentroid(centroids, q));
        },
      ),
    );
  });
});
