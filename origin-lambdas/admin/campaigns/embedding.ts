import type { ContentEncoder } from '../../../shared/ports/content-encoder';
import type { ItemCatalog } from '../../../shared/ports/item-catalog';
import { meanVector } from '../../../shared/vector-math';

/** Weight of the creative's text against the mean of its items' embeddings. */
const TEXT_WEIGHT = 0.5;

function normalize(v: ArrayLike<number>): Float32Array {
  let n = 0;
  for (let i = 0; i < v.length; i++) n += (v[i] as number) ** 2;
  const s = Math.sqrt(n) || 1;
  return Float32Array.from({ length: v.length }, (_, i) => (v[i] as number) / s);
}

/**
 * A campaign's position in the shared content space: its text (name, title, body) through the
 * content encoder, blended with the mean of its items' embeddings so that a campaign promoting
 * items sits near the users who engage with those items.
 */
export async function campaignEmbedding(
  encoder: ContentEncoder,
  catalog: ItemCatalog,
  c: { name: string; creative: { title: string; body: string; item_ids: readonly string[] } },
): Promise<Float32Array> {
  const text = [c.name, c.creative.title, c.creative.body].filter(Boolean).join('. ');
  const [textVector] = await encoder.encode([{ modality: 'text', text }]);
  const items = c.creative.item_ids.length ? await catalog.getItems(c.creative.item_ids) : [];
  const itemVectors = items.map((i) => i.embedding).filter((e) => e.length === encoder.dimensions);
  if (!textVector || !itemVectors.length)
    return normalize(textVector ?? new Float32Array(encoder.dimensions));
  const itemMean = normalize(meanVector(itemVectors));
  return normalize(
    Array.from(textVector, (x, i) => TEXT_WEIGHT * x + (1 - TEXT_WEIGHT) * (itemMean[i] as number)),
  );
}
