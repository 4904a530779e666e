import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type SyntheticOptions, syntheticDataset } from '../../local/training/synthetic';

const quote = (s: string) => (/[",]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

/**
 * Writes a synthetic dataset with planted taste groups (local/training/synthetic.ts) as a
 * MovieLens-format folder: `ratings.csv` (timestamps in seconds) and `movies.csv`.
 */
export async function writeMovieLensFixture(dir: string, opts: SyntheticOptions = {}) {
  const ds = syntheticDataset(opts);
  await mkdir(dir, { recursive: true });
  const ratings = ds.interactions.map((x) => `${x.user},${x.item},${x.value},${Math.floor(x.at / 1000)}`);
  await writeFile(join(dir, 'ratings.csv'), `userId,movieId,rating,timestamp\n${ratings.join('\n')}\n`);
  const movies = [...ds.items].map(([id, m]) => `${id},${quote(m.title)},${m.genres.join('|')}`);
  await writeFile(join(dir, 'movies.csv'), `movieId,title,genres\n${movies.join('\n')}\n`);
  return ds;
}
