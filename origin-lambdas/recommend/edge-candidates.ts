import type { CatalogItem } from '../../shared/ports/item-catalog';
import type { CachedCandidate } from '../../shared/schemas/recommendation';
import { FEATURE_NAMES } from './features';

/** Options for {@link edgeCandidates}. */
export interface EdgeCandidateOptions {
  /** How many of the best-scored candidates to keep. @default 200 */
  readonly depth?: number;
  /** The user's most recent item, named in "Because you viewed" at the edge. */
  readonly anchor?: CatalogItem;
}

// Four decimals keep cosine similarity exact to ~1e-4 while roughly halving the JSON size of
// a 32-d vector, which decides whether 200 candidates fit comfortably in one KV value.
const round4 = (x: number) => Math.round(x * 1e4) / 1e4;

/**
 * The compact candidate list the edge caches and re-scores per request: the `depth` best
 * candidates in score order, with the features the shared scoring core reads.
 * `rows` is the row-major feature matrix from `buildFeatures`, `order` the indexes by score.
 */
export function edgeCandidates(
  items: readonly CatalogItem[],
  order: readonly number[],
  scores: readonly number[],
  rows: readonly number[],
  options: EdgeCandidateOptions = {},
): CachedCandidate[] {
  const width = FEATURE_NAMES.length;
  return order.slice(0, options.depth ?? 200).map((idx) => {
    const item = items[idx] as CatalogItem;
    const [popularity = 0, freshness = 0, affinity = 0, similarity = 0] = rows.slice(
      idx * width,
      idx * width + width,
    );
    const personal = options.anchor !== undefined && (similarity >= 0.6 || affinity >= 0.3);
    return {
      item_id: item.item_id,
      category: item.category,
      score: round4(Math.min(1, Math.max(0, scores[idx] ?? 0))),
      source: personal ? 'content' : 'popular',
      popularity: round4(popularity),
      freshness: round4(freshness),
      vector: item.embedding.map(round4),
      title: item.title,
      ...(personal ? { anchor_title: options.anchor?.title } : {}),
    };
  });
}
