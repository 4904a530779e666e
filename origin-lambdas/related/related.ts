import { HTTPException } from 'hono/http-exception';
import { fallbackItems } from '../../shared/fallback-items';
import { LIST_IDS } from '../../shared/lists';
import type { CatalogItem, ItemCatalog } from '../../shared/ports/item-catalog';
import type { VectorIndex } from '../../shared/ports/vector-index';
import type { RecommendedItem } from '../../shared/schemas/recommendation';
import { RELATED_MODEL_VERSION, type RelatedResponse } from '../../shared/schemas/related';
import { withTimeout } from '../../shared/timeout';
import { ClientError } from '../common/errors';
import { logger } from '../common/observability';
import type { UserContextReader } from '../recommend/context/user-context-reader';
import { blendRelated, type RelatedWeights, toRelatedItem, usableEmbedding } from './blend';
import { popularFill } from './popular-fill';

export interface RelatedDeps {
  readonly catalog: ItemCatalog;
  readonly index: VectorIndex;
  /**
   * The same one-Query user read the recommendation funnel uses: the taste embedding nudges the
   * blend, and block lists and purchases filter it. Without it `user_id` is accepted but ignored.
   */
  readonly contexts?: Pick<UserContextReader, 'read'>;
  /** Budget of each DynamoDB (and vector index) call. */
  readonly dynamoTimeoutMs: number;
  /** @default DEFAULT_RELATED_WEIGHTS */
  readonly weights?: Partial<RelatedWeights>;
}

export interface RelatedInput {
  readonly itemId: string;
  readonly limit: number;
  readonly userId?: string;
  readonly surface?: string;
  readonly requestId: string;
}

/** Neighbours fetched from the index per request: enough that filtering and blending still fill `limit`. */
const contentK = (limit: number) => Math.min(100, limit * 2 + 10);

/**
 * Items related to one item: content neighbours from the vector index and the item's
 * co-interaction list, blended (and nudged by the user's taste embedding when `userId` is given).
 * A failed source degrades to the others; a short list is topped up from the category, then the
 * global, popular list, and the compiled list is the last resort, so the answer is never empty.
 * Throws ClientError 404 when the item does not exist (or was deleted), 503 when the catalog
 * cannot be read at all.
 */
export async function related(deps: RelatedDeps, input: RelatedInput): Promise<RelatedResponse> {
  const timings: Record<string, number> = {};
  const started = performance.now();
  const t = (name: string, since: number) => {
    timings[name] = Math.round((performance.now() - since) * 100) / 100;
  };
  const degraded: string[] = [];
  const ms = deps.dynamoTimeoutMs;

  let t0 = performance.now();
  const anchor = await loadAnchor(deps, input.itemId);
  t('anchor', t0);

  t0 = performance.now();
  const withEmbedding = anchor.embedding.length === deps.index.dimensions;
  const [contentResult, coResult, userResult] = await Promise.allSettled([
    withEmbedding
      ? withTimeout(
          deps.index.search(anchor.embedding, contentK(input.limit), {
            excludeIds: new Set([anchor.item_id]),
          }),
          ms,
          'vector index',
        )
      : Promise.resolve([]),
    withTimeout(deps.catalog.getList(LIST_IDS.coInteraction(anchor.item_id)), ms, 'co-interaction list'),
    input.userId && deps.contexts
      ? withTimeout(deps.contexts.read(input.userId), ms, 'user state')
      : Promise.resolve(undefined),
  ]);
  t('retrieve', t0);
  const settled = <T>(r: PromiseSettledResult<T>, name: string, empty: T): T => {
    if (r.status === 'fulfilled') return r.value;
    degraded.push(name);
    logger.warn('related-items source unavailable', { source: name, reason: String(r.reason) });
    return empty;
  };
  const contentIds = new Set(settled(contentResult, 'vector-index', []).map((h) => h.id));
  const coList = settled(coResult, 'co-interaction', undefined)?.item_ids ?? [];
  const user = settled(userResult, 'user-state', undefined);
  const embedding = user?.embedding;
  const userEmbedding = usableEmbedding(embedding, anchor.embedding.length) ? embedding : undefined;
  // A personalized answer never shows what the user blocked or already bought.
  const allowed = (i: { item_id: string; category: string }) =>
    !user ||
    !(
      user.blockedItems.has(i.item_id) ||
      user.purchased.has(i.item_id) ||
      user.blockedCategories.has(i.category)
    );

  t0 = performance.now();
  let candidates: CatalogItem[] = [];
  const ids = [...new Set([...contentIds, ...coList])];
  if (ids.length) {
    try {
      candidates = await withTimeout(deps.catalog.getItems(ids), ms * 2, 'related candidates');
    } catch (err) {
      degraded.push('catalog');
      logger.warn('related candidates unavailable', { reason: String(err) });
    }
  }
  const blended = blendRelated({
    anchor,
    items: candidates.filter(allowed),
    contentIds,
    coInteraction: coList,
    userEmbedding,
    weights: deps.weights,
  }).slice(0, input.limit);
  const items: RecommendedItem[] = blended.map((b, position) => toRelatedItem(b, position, anchor));
  t('blend', t0);

  let popular = 0;
  if (items.length < input.limit) {
    t0 = performance.now();
    const { picks, failed } = await popularFill({
      catalog: deps.catalog,
      timeoutMs: ms,
      anchor,
      exclude: new Set(items.map((i) => i.item_id)),
      allow: allowed,
      need: input.limit - items.length,
    });
    if (failed) degraded.push('popular-lists');
    for (const { item, reason } of picks) {
      items.push({
        item_id: item.item_id,
        title: item.title,
        category: item.category,
        score: 0,
        position: items.length,
        sponsored: false,
        reasons: [reason],
      });
    }
    popular = picks.length;
    if (items.length === 0) {
      // Every store failed us: the compiled list still names real items.
      const compiled = fallbackItems(input.limit + 1).filter(
        (i) => i.item_id !== anchor.item_id && allowed({ item_id: i.item_id, category: i.category ?? '' }),
      );
      items.push(...compiled.slice(0, input.limit).map((i, position) => ({ ...i, position })));
      popular = items.length;
    }
    t('fallback', t0);
  }
  t('total', started);

  return {
    item_id: anchor.item_id,
    items,
    request_id: input.requestId,
    model_version: RELATED_MODEL_VERSION,
    ...(input.surface ? { surface: input.surface } : {}),
    personalized: userEmbedding !== undefined,
    sources: {
      content: blended.filter((b) => b.fromContent).length,
      co_interaction: blended.filter((b) => b.coRank !== undefined).length,
      popular,
    },
    timings_ms: timings,
    ...(degraded.length ? { degraded } : {}),
  };
}

async function loadAnchor(deps: RelatedDeps, itemId: string): Promise<CatalogItem> {
  let found: CatalogItem[];
  try {
    found = await withTimeout(deps.catalog.getItems([itemId]), deps.dynamoTimeoutMs, 'item');
  } catch (err) {
    logger.warn('catalog unavailable for related items', { reason: String(err) });
    throw new HTTPException(503, { message: 'Catalog unavailable' });
  }
  const anchor = found[0];
  if (!anchor || anchor.deleted) throw new ClientError(404, 'Not found', `item ${itemId} does not exist`);
  return anchor;
}
