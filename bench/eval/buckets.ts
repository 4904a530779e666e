import type { TopNResult } from './topn';

/** Training-history size buckets for the per-activity chart. */
export const ACTIVITY_BUCKETS = [
  { label: '<=20', max: 20 },
  { label: '21-50', max: 50 },
  { label: '51-150', max: 150 },
  { label: '>150', max: Number.POSITIVE_INFINITY },
] as const;

/** Mean NDCG@10 per activity bucket (buckets without users are 0) and each bucket's user count. */
export function byActivity(result: TopNResult): { label: string; ndcg10: number; users: number }[] {
  return ACTIVITY_BUCKETS.map((b, i) => {
    const min = i === 0 ? 0 : (ACTIVITY_BUCKETS[i - 1]?.max ?? 0);
    const inBucket = result.perUser.filter((p) => p.trainSize > min && p.trainSize <= b.max);
    const sum = inBucket.reduce((a, p) => a + p.ndcg10, 0);
    return { label: b.label, ndcg10: inBucket.length ? sum / inBucket.length : 0, users: inBucket.length };
  });
}
