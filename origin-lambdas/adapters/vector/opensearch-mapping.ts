/**
 * The OpenSearch k-NN index of item embeddings, as data. Runtime-neutral: the search stack applies
 * it at deploy time (`cdk/lib/stacks/search-stack.ts`) and `OpenSearchVectorIndex` creates and
 * rebuilds indexes from the same body.
 *
 * Clients use the alias; a rebuild writes a new versioned index and swaps the alias in one call.
 */

import type { VectorMetric } from './metric';

/**
 * Item embedding width. Equals the seeded catalog (`local/seed/catalog.ts` EMBEDDING_DIM) and the
 * default `HashedEncoder`; `tests/cdk/search-stack.test.ts` holds the three together.
 */
export const EMBEDDING_DIMENSIONS = 32;

/** The alias every reader and writer uses. */
export const ITEMS_INDEX_ALIAS = 'attune-items';

/** The concrete index created on first deploy; a rebuild creates `attune-items-v2`, ... */
export const ITEMS_INDEX_VERSION = 'v1';

/** `attune-items-<version>`. */
export function itemsIndexName(version: string = ITEMS_INDEX_VERSION): string {
  return `${ITEMS_INDEX_ALIAS}-${version}`;
}

/** Name of the `knn_vector` field. */
export const EMBEDDING_FIELD = 'embedding';

/** k-NN engines that support HNSW, `cosinesimil`, `innerproduct` and efficient filtering. */
export type KnnEngine = 'lucene' | 'faiss';

export interface ItemsIndexBodyOptions {
  /** @default EMBEDDING_DIMENSIONS */
  readonly dimensions?: number;
  /** @default 'lucene' */
  readonly engine?: KnnEngine;
  /**
   * `ip` (`innerproduct`) for the trained CF embeddings, whose norms carry signal; `cos`
   * (`cosinesimil`) ranks by angle only. Must match the origin's VECTOR_METRIC. @default 'ip'
   */
  readonly metric?: VectorMetric;
}

/** OpenSearch's `space_type` for each metric (documented for Lucene and Faiss HNSW). */
export const SPACE_TYPES = { cos: 'cosinesimil', ip: 'innerproduct' } as const satisfies Record<
  VectorMetric,
  string
>;

/** Body of `PUT /<index>`: settings plus mappings, for a given width and engine. */
export function itemsIndexBody(opts: ItemsIndexBodyOptions = {}) {
  return {
    settings: {
      index: {
        // Turns on k-NN for this index (the plugin itself ships enabled on every OpenSearch domain).
        knn: true,
        number_of_shards: 1,
        number_of_replicas: 1,
      },
    },
    mappings: {
      dynamic: 'strict',
      properties: {
        item_id: { type: 'keyword' },
        category: { type: 'keyword' },
        tags: { type: 'keyword' },
        available: { type: 'boolean' },
        updated_at: { type: 'date' },
        space_version: { type: 'keyword' },
        [EMBEDDING_FIELD]: {
          type: 'knn_vector',
          dimension: opts.dimensions ?? EMBEDDING_DIMENSIONS,
          method: {
            name: 'hnsw',
            // Lucene and Faiss (2.9+) both filter during the graph walk, so a filtered query still
            // returns k hits; Lucene is the default because it needs no native memory sizing.
            engine: opts.engine ?? 'lucene',
            space_type: SPACE_TYPES[opts.metric ?? 'ip'],
            parameters: { m: 16, ef_construction: 128 },
          },
        },
      },
    },
  } as const;
}

/** The deployed body: `itemsIndexBody()` with the defaults. */
export const ITEMS_INDEX_BODY = itemsIndexBody();
