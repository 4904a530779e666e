import { describe, expect, it } from 'vitest';
import { coverage, hitRateAt, ndcgAt, novelty, recallAt } from '../../../bench/eval/metrics';
import { temporalSplit } from '../../../bench/eval/split';

describe('top-N metrics on a hand-computed example', () => {
  // Relevant {a, c, x}; the list has hits at ranks 1 and 3.
  const ranked = ['a', 'b', 'c', 'd'];
  const relevant = new Set(['a', 'c', 'x']);

  it('NDCG@10 uses binary gains and an ideal DCG over min(10, |relevant|)', () => {
    const dcg = 1 / Math.log2(2) + 1 / Math.log2(4); // 1 + 0.5
    const ideal = 1 + 1 / Math.log2(3) + 1 / Math.log2(4); // 3 relevant items
    expect(ndcgAt(ranked, relevant, 10)).toBeCloseTo(dcg / ideal, 12);
    expect(ndcgAt(ranked, relevant, 10)).toBeCloseTo(0.7039180890341347, 12);
  });

  it('NDCG@2 caps the ideal at two hits', () => {
    expect(ndcgAt(ranked, relevant, 2)).toBeCloseTo(1 / (1 + 1 / Math.log2(3)), 12);
  });

  it('Recall@k divides hits by min(k, |relevant|) and HR is any hit', () => {
    expect(recallAt(ranked, relevant, 10)).toBeCloseTo(2 / 3, 12);
    expect(recallAt(ranked, relevant, 2)).toBeCloseTo(1 / 2, 12);
    expect(hitRateAt(ranked, relevant, 10)).toBe(1);
    expect(hitRateAt(['b', 'd'], relevant, 10)).toBe(0);
    expect(ndcgAt(['b', 'd'], relevant, 10)).toBe(0);
  });

  it('coverage counts distinct recommended items over the catalogue', () => {
    expect(
      coverage(
        [
          ['a', 'b'],
          ['b', 'c'],
        ],
        10,
      ),
    ).toBeCloseTo(0.3, 12);
  });

  it('novelty is the mean self-information of recommended items', () => {
    // a: 4 of 8 users -> 1 bit; b: 1 of 8 -> 3 bits.
    const counts = new Map([
      ['a', 4],
      ['b', 1],
    ]);
    expect(novelty([['a', 'b']], counts, 8)).toBeCloseTo(2, 12);
  });
});

describe('temporal split', () => {
  it('trains on the first floor(80%) by time and keeps only users with a test positive', () => {
    const at = (d: number) => d * 1000;
    const xs = [
      ...[5, 1, 4, 2, 3].map((d, i) => ({ user: 'u1', item: `i${d}`, value: i === 0 ? 5 : 3, at: at(d) })),
      { user: 'u2', item: 'i1', value: 5, at: at(1) },
      { user: 'u2', item: 'i2', value: 2, at: at(2) },
    ];
    const s = temporalSplit(xs);
    expect(s.train.filter((x) => x.user === 'u1').map((x) => x.item)).toEqual(['i1', 'i2', 'i3', 'i4']);
    expect(s.test.get('u1')?.map((x) => x.item)).toEqual(['i5']);
    expect([...(s.positives.get('u1') ?? [])]).toEqual(['i5']);
    // u2: floor(1.6) = 1 training rating; its only test rating is 2 stars, so u2 is left out.
    expect(s.train.filter((x) => x.user === 'u2').map((x) => x.item)).toEqual(['i1']);
    expect(s.positives.has('u2')).toBe(false);
  });
});
