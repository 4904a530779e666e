import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CatalogItem, ItemCatalog } from '../../shared/ports/item-catalog';
import type { VectorIndex } from '../../shared/ports/vector-index';
import { FEATURE_CATALOG } from '../../shared/schemas/features';
import { type ModelManifest, setCurrentVersion } from '../model-server/bundle';
import { SERVING_STATE_FILE, type ServingState } from '../model-server/compatibility';
import { pruneVersions } from '../model-server/registry';

export interface PublishOptions {
  readonly modelDir: string;
  readonly manifest: ModelManifest;
  readonly items: readonly CatalogItem[];
  /** Where the serving embeddings go; omitted stores are skipped. */
  readonly catalog?: ItemCatalog;
  readonly index?: VectorIndex;
  /** Versions kept in the registry folder. @default 5 */
  readonly keep?: number;
}

/**
 * Makes a built bundle live, in the order that keeps serving consistent: embeddings into the
 * catalog (DynamoDB) and the vector index, then the serving state records their space, then
 * the pointer moves (the model server hot-swaps), then old versions beyond `keep` are pruned.
 */
export async function publishBundle(opts: PublishOptions): Promise<{ pruned: string[] }> {
  if (opts.catalog) await opts.catalog.putItems(opts.items);
  if (opts.index) {
    await opts.index.upsert(
      opts.items.map((i) => ({ id: i.item_id, vector: i.embedding, category: i.category })),
    );
  }
  const state: ServingState = {
    // What the origin sends, not what this bundle reads: any bundle over a subset (the default
    // four-feature ranker, an older version to roll back to) still fits.
    feature_names: [...FEATURE_CATALOG],
    ...(opts.manifest.embedding
      ? {
          space_version: opts.manifest.embedding.space_version,
          dimensions: opts.manifest.embedding.dimensions,
        }
      : {}),
  };
  await writeFile(join(opts.modelDir, SERVING_STATE_FILE), `${JSON.stringify(state, null, 2)}\n`);
  await setCurrentVersion(opts.modelDir, opts.manifest.version);
  return { pruned: await pruneVersions(opts.modelDir, opts.keep ?? 5) };
}
