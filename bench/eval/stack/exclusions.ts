import { cosine } from '../../../shared/vector-math';

/** Recent items the origin itself keeps out of retrieval (`ctx.recentItems.slice(0, 50)`). */
export const ORIGIN_RECENT_EXCLUDED = 50;

/**
 * A user's training items, most likely to be retrieved first (cosine with their taste, as the
 * collaborative source searches): the order in which they are worth the request's few `exclude` slots.
 */
export function leakOrder(
  trained: Iterable<string>,
  taste: readonly number[] | undefined,
  vectors: ReadonlyMap<string, readonly number[]>,
): string[] {
  const scored = [...trained].map((id) => {
    const v = vectors.get(id);
    return { id, s: taste?.length && v?.length ? cosine(taste, v) : -2 };
  });
  scored.sort((a, b) => b.s - a.s || (a.id < b.id ? -1 : 1));
  return scored.map((x) => x.id);
}

/** The ids worth sending as `exclude`: `order` minus what the origin already drops (recent items). */
export function excludeFor(order: readonly string[], recentItems: readonly string[]): string[] {
  const dropped = new Set(recentItems.slice(0, ORIGIN_RECENT_EXCLUDED));
  return order.filter((id) => !dropped.has(id));
}
