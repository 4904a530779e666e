import { join } from 'node:path';
import type { CatalogItem, ItemCatalog } from '../../shared/ports/item-catalog';
import type { VectorIndex } from '../../shared/ports/vector-index';
import { readCurrentVersion, readModelBundle } from '../model-server/bundle';
import { listVersions } from '../model-server/registry';
import { readEmbeddings } from './embedding-files';
import { publishBundle } from './publish';

/**
 * Rolls back to the version published before the current one, embeddings included: the older
 * bundle's item vectors go back into the catalog and the index, the serving state names its
 * space again, then the pointer moves. Moving the pointer alone would be refused by the model
 * server whenever the two versions live in different embedding spaces.
 */
export async function rollbackBundle(
  modelDir: string,
  stores: { catalog?: ItemCatalog; index?: VectorIndex } = {},
): Promise<string> {
  const current = await readCurrentVersion(modelDir);
  const versions = (await listVersions(modelDir)).map((m) => m.version);
  const at = current ? versions.indexOf(current) : -1;
  const previous = at > 0 ? versions[at - 1] : undefined;
  if (!previous) throw new Error(`no version older than ${current ?? '(none)'} in ${modelDir}`);
  const { manifest } = await readModelBundle(modelDir, previous);
  let items: CatalogItem[] = [];
  if (manifest.embedding && (stores.catalog || stores.index)) {
    const { ids, dimensions: k, vectors } = await readEmbeddings(join(modelDir, previous, 'items'));
    const known = new Map(
      (stores.catalog ? await stores.catalog.getItems(ids) : []).map((i) => [i.item_id, i]),
    );
    items = ids.flatMap((id, r) => {
      const base = known.get(id);
      const embedding = Array.from(vectors.subarray(r * k, r * k + k));
      if (base) return [{ ...base, embedding }];
      return stores.catalog
        ? []
        : [
            {
              item_id: id,
              title: id,
              category: 'unknown',
              modality: 'text' as const,
              price: 0,
              popularity: 0,
              created_at: new Date(0).toISOString(),
              available: true,
              embedding,
            },
          ];
    });
  }
  await publishBundle({ modelDir, manifest, items, ...stores, keep: Number.POSITIVE_INFINITY });
  return previous;
}
