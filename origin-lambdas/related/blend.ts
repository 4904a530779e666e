import type { CatalogItem } from '../../shared/ports/item-catalog';
import type { Reason, RecommendedItem } from '../../shared/schemas/recommendation';
import { passesHardFilters } from '../../shared/scoring/filters';
import { cosine } from '../../shared/vector-math';

/** How much each signal counts in a related item's score. */
export interface RelatedWeights {
  /** Times cos(anchor, item). */
  readonly content: number;
  /** Times 1 / (1 + rank) on the anchor's co-interaction list. */
  readonly coInteraction: number;
  /** Times cos(user taste, item), only when the request is personalized. */
  readonly user: number;
}

/** Content and co-interaction weigh about the same; the user's taste nudges rather than reorders. */
export const DEFAULT_RELATED_WEIGHTS: RelatedWeights = { content: 0.5, coInteraction: 0.5, user: 0.25 };

export interface BlendInput {
  readonly anchor: CatalogItem;
  /** Catalog rows of the candidates, in any order; rows that are neither source's are ignored. */
  readonly items: readonly CatalogItem[];
  /** Ids the content (vector) retrieval returned. */
  readonly contentIds: ReadonlySet<string>;
  /** The anchor's co-interaction list, best first. */
  readonly coInteraction: readonly string[];
  /** The user's unit taste embedding; used only when it lives in the anchor's space (same width). */
  readonly userEmbedding?: readonly number[];
  /** @default DEFAULT_RELATED_WEIGHTS */
  readonly weights?: Partial<RelatedWeights>;
}

/** One signal's share of a blended score. */
export interface Contributions {
  readonly content: number;
  readonly coInteraction: number;
  readonly user: number;
}

export interface BlendedItem {
  readonly item: CatalogItem;
  readonly score: number;
  readonly contributions: Contributions;
  readonly fromContent: boolean;
  /** Zero-based position on the co-interaction list, when the item is on it. */
  readonly coRank?: number;
}

// shared cosine divides by sqrt(na * nb), which underflows to 0 for vectors of tiny norm; a NaN
// score would poison the sort, so such pairs count as unrelated.
const similarity = (x: readonly number[], y: readonly number[]) => {
  const s = cosine(x, y);
  return Number.isFinite(s) ? s : 0;
};

/** The co-interaction signal of the item at zero-based `rank`: 1, 1/2, 1/3, ... */
export function coRankScore(rank: number): number {
  return 1 / (1 + rank);
}

/** Whether `item` may be shown next to `anchorId`: available, not deleted, not the anchor itself. */
export function servable(item: CatalogItem, anchorId: string): boolean {
  return passesHardFilters(item, { excludeIds: new Set([anchorId]) });
}

/** Whether a user embedding can be compared with items in a space `width` wide. */
export function usableEmbedding(v: readonly number[] | undefined, width: number): v is readonly number[] {
  return v !== undefined && width > 0 && v.length === width && v.some((x) => x !== 0);
}

/**
 * Scores the union of content and co-interaction candidates:
 * `w.content * cos(anchor, item) + w.coInteraction * 1/(1+rank) [+ w.user * cos(user, item)]`.
 * Unservable items and the anchor are dropped, duplicates kept once; best first, ties broken by
 * co-interaction rank, then id, so equal inputs always give the same order.
 */
export function blendRelated(input: BlendInput): BlendedItem[] {
  const w = { ...DEFAULT_RELATED_WEIGHTS, ...input.weights };
  const { anchor } = input;
  const coRank = new Map<string, number>();
  input.coInteraction.forEach((id, rank) => {
    if (!coRank.has(id)) coRank.set(id, rank);
  });
  const user = usableEmbedding(input.userEmbedding, anchor.embedding.length)
    ? input.userEmbedding
    : undefined;
  const seen = new Set<string>();
  const out: BlendedItem[] = [];
  for (const item of input.items) {
    const id = item.item_id;
    const rank = coRank.get(id);
    const fromContent = input.contentIds.has(id);
    if ((!fromContent && rank === undefined) || seen.has(id) || !servable(item, anchor.item_id)) continue;
    seen.add(id);
    const contributions: Contributions = {
      content: w.content * similarity(anchor.embedding, item.embedding),
      coInteraction: rank === undefined ? 0 : w.coInteraction * coRankScore(rank),
      user: user ? w.user * similarity(user, item.embedding) : 0,
    };
    out.push({
      item,
      score: contributions.content + contributions.coInteraction + contributions.user,
      contributions,
      fromContent,
      ...(rank === undefined ? {} : { coRank: rank }),
    });
  }
  return out.sort(
    (a, b) =>
      b.score - a.score ||
      (a.coRank ?? Number.POSITIVE_INFINITY) - (b.coRank ?? Number.POSITIVE_INFINITY) ||
      (a.item.item_id < b.item.item_id ? -1 : 1),
  );
}

/**
 * Why a blended item is here, strongest signal first: co-interaction ("Often viewed together
 * with ...") when it came from the list, content ("Similar to ...") when the index found it.
 */
export function relatedReasons(b: BlendedItem, anchor: CatalogItem): Reason[] {
  const reasons: { weight: number; reason: Reason }[] = [];
  if (b.coRank !== undefined) {
    reasons.push({
      weight: b.contributions.coInteraction,
      reason: { code: 'similar', text: `Often viewed together with ${anchor.title}` },
    });
  }
  if (b.fromContent) {
    reasons.push({
      weight: b.contributions.content,
      reason: { code: 'similar', text: `Similar to ${anchor.title}` },
    });
  }
  return reasons.sort((x, y) => y.weight - x.weight).map((r) => r.reason);
}

/** The wire form of a blended item at `position`. */
export function toRelatedItem(b: BlendedItem, position: number, anchor: CatalogItem): RecommendedItem {
  return {
    item_id: b.item.item_id,
    title: b.item.title,
    category: b.item.category,
    score: Math.round(b.score * 1e6) / 1e6,
    position,
    sponsored: false,
    reasons: relatedReasons(b, anchor),
  };
}
