import { seededRandom } from '../../shared/random';
import type { Interaction } from './interactions';
import type { ItemMeta } from './movielens';

export interface SyntheticOptions {
  /** @default 60 */
  readonly users?: number;
  /** @default 4 */
  readonly groups?: number;
  /** @default 12 */
  readonly itemsPerGroup?: number;
  /** Interactions per user, all within the user's group except `noise` share. @default 10 */
  readonly perUser?: number;
  /** @default 0.1 */
  readonly noise?: number;
  /** @default 1 */
  readonly seed?: number;
}

/**
 * A small MovieLens-shaped dataset with planted structure: each user likes one genre group,
 * rates its items 4-5 and the odd item elsewhere 1-3. For tests and demos; never real data.
 */
export function syntheticDataset(opts: SyntheticOptions = {}): {
  interactions: Interaction[];
  items: Map<string, ItemMeta>;
} {
  const rand = seededRandom(opts.seed ?? 1);
  const groups = opts.groups ?? 4;
  const per = opts.itemsPerGroup ?? 12;
  const genres = ['Drama', 'Comedy', 'Horror', 'Sci-Fi', 'Western', 'Musical'];
  const items = new Map<string, ItemMeta>();
  for (let g = 0; g < groups; g++)
    for (let i = 0; i < per; i++) {
      const genre = genres[g % genres.length] as string;
      items.set(`m${g * per + i}`, { title: `${genre} story ${i} (${2000 + i})`, genres: [genre], tags: [] });
    }
  const interactions: Interaction[] = [];
  const t0 = Date.UTC(2020, 0, 1);
  for (let u = 0; u < (opts.users ?? 60); u++) {
    const g = u % groups;
    const seen = new Set<number>();
    for (let n = 0; n < (opts.perUser ?? 10); n++) {
      const off = rand() < (opts.noise ?? 0.1);
      const group = off ? (g + 1 + Math.floor(rand() * (groups - 1))) % groups : g;
      const item = group * per + Math.floor(rand() * per);
      if (seen.has(item)) continue;
      seen.add(item);
      const value = off ? 1 + Math.floor(rand() * 3) : 4 + Math.round(rand());
      interactions.push({ user: `u${u}`, item: `m${item}`, value, at: t0 + u * 3_600_000 + n * 60_000 });
    }
  }
  return { interactions, items };
}
