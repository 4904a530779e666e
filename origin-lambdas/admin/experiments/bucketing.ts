import { fnv1a } from '../../../shared/embedding/hashed-encoder';

/** FNV-1a followed by murmur3's finalizer, so that nearby ids spread over the whole range. */
export function hash01(s: string): number {
  let h = fnv1a(s);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return (h >>> 0) / 4294967296;
}

export interface BucketingPlan {
  readonly salt: string;
  readonly traffic: number;
  readonly variants: readonly { name: string; weight: number }[];
}

/**
 * The variant a user sees, or undefined when the user is outside the experiment's traffic.
 * Deterministic in (user id, salt). Entry and variant use independent hashes, so raising the
 * traffic share adds users without moving anyone already assigned to another variant.
 */
export function assignVariant(plan: BucketingPlan, userId: string): string | undefined {
  if (hash01(`${plan.salt}:traffic:${userId}`) >= plan.traffic) return undefined;
  const total = plan.variants.reduce((sum, v) => sum + v.weight, 0);
  let point = hash01(`${plan.salt}:variant:${userId}`) * total;
  for (const v of plan.variants) {
    point -= v.weight;
    if (point < 0) return v.name;
  }
  return plan.variants[plan.variants.length - 1]?.name;
}
