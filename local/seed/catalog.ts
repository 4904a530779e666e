import type { CatalogItem, Modality } from '../../shared/ports/item-catalog';
import { gaussian, seededRandom } from '../../shared/random';
import { normalize } from './random';

/** Categories of the demo catalog and the modality their items come in. */
export const DEMO_CATEGORIES: readonly { name: string; modality: Modality; nouns: readonly string[] }[] = [
  { name: 'home', modality: 'image', nouns: ['Lamp', 'Rug', 'Vase', 'Throw', 'Shelf'] },
  { name: 'electronics', modality: 'image', nouns: ['Headphones', 'Speaker', 'Charger', 'Tablet', 'Camera'] },
  { name: 'shoes', modality: 'image', nouns: ['Sneakers', 'Boots', 'Sandals', 'Loafers', 'Trainers'] },
  { name: 'books', modality: 'text', nouns: ['Novel', 'Memoir', 'Guide', 'Anthology', 'Atlas'] },
  {
    name: 'podcasts',
    modality: 'audio',
    nouns: ['Interview', 'Deep Dive', 'Roundtable', 'Story', 'Briefing'],
  },
  { name: 'kitchen', modality: 'image', nouns: ['Skillet', 'Knife', 'Kettle', 'Blender', 'Board'] },
  { name: 'outdoors', modality: 'video', nouns: ['Tent', 'Jacket', 'Backpack', 'Lantern', 'Hammock'] },
  { name: 'movies', modality: 'video', nouns: ['Thriller', 'Comedy', 'Documentary', 'Drama', 'Western'] },
  { name: 'music', modality: 'audio', nouns: ['Album', 'Playlist', 'Single', 'Live Set', 'Mixtape'] },
  {
    name: 'fitness',
    modality: 'video',
    nouns: ['Workout', 'Yoga Flow', 'HIIT Class', 'Stretch', 'Run Plan'],
  },
  {
    name: 'games',
    modality: 'text',
    nouns: ['Board Game', 'Puzzle', 'Card Game', 'Strategy Game', 'Party Game'],
  },
  { name: 'beauty', modality: 'image', nouns: ['Serum', 'Cleanser', 'Palette', 'Balm', 'Mask'] },
];

const ADJECTIVES = [
  'Classic',
  'Modern',
  'Cozy',
  'Bold',
  'Quiet',
  'Bright',
  'Vintage',
  'Urban',
  'Wild',
  'Golden',
  'Minimal',
  'Epic',
];

export const EMBEDDING_DIM = 32;

export interface DemoCatalogOptions {
  /** @default 3000 */
  readonly items?: number;
  /** @default 42 */
  readonly seed?: number;
  /** The catalog's "today"; items are up to 180 days older. */
  readonly now?: number;
}

/** Each category's direction in the embedding space; items scatter around it. */
export function categoryCentroids(seed = 42): number[][] {
  const rand = seededRandom(seed * 7919);
  return DEMO_CATEGORIES.map(() => normalize(Array.from({ length: EMBEDDING_DIM }, () => gaussian(rand))));
}

/**
 * A deterministic demo catalog: items spread over categories and modalities, Zipf-like
 * popularity, ages up to 180 days, content embeddings near their category's centroid.
 * Ids are `item-00001`... so the compiled fallback list names real items.
 */
export function generateCatalog(opts: DemoCatalogOptions = {}): CatalogItem[] {
  const count = opts.items ?? 3000;
  const rand = seededRandom(opts.seed ?? 42);
  const centroids = categoryCentroids(opts.seed ?? 42);
  const now = opts.now ?? Date.UTC(2026, 10, 1);
  const items: CatalogItem[] = [];
  for (let i = 0; i < count; i++) {
    const c = i % DEMO_CATEGORIES.length;
    const cat = DEMO_CATEGORIES[c]!;
    const centroid = centroids[c]!;
    const noun = cat.nouns[Math.floor(rand() * cat.nouns.length)]!;
    const adjective = ADJECTIVES[Math.floor(rand() * ADJECTIVES.length)]!;
    const rank = i + 1;
    items.push({
      item_id: `item-${String(rank).padStart(5, '0')}`,
      title: `${adjective} ${noun} ${rank}`,
      category: cat.name,
      modality: cat.modality,
      price: Math.round((5 + rand() * 195) * 100) / 100,
      popularity: Math.round(10_000 / rank ** 0.8 + rand() * 5),
      created_at: new Date(now - Math.floor(rand() * 180) * 86_400_000).toISOString(),
      available: true,
      // Noise of norm ~0.6 around a unit centroid: same-category items sit near cosine 0.85.
      embedding: normalize(centroid.map((x) => x + (0.6 / Math.sqrt(EMBEDDING_DIM)) * gaussian(rand))),
    });
  }
  return items;
}
