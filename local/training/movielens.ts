import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Interaction } from './interactions';

/** What a MovieLens-format folder tells about an item besides its ratings. */
export interface ItemMeta {
  readonly title: string;
  readonly genres: readonly string[];
  readonly tags: readonly string[];
}

export interface Dataset {
  readonly interactions: Interaction[];
  readonly items: Map<string, ItemMeta>;
}

/**
 * Splits one CSV line, honouring double quotes (MovieLens quotes titles that contain commas).
 */
export function splitCsvLine(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i] as string;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

/** Rows of a CSV file with a header line, as records keyed by column name. */
export function parseCsv(text: string): Record<string, string>[] {
  const lines = text.split(/\r?\n/).filter((l) => l.length > 0);
  const header = splitCsvLine(lines[0] ?? '').map((h) => h.trim());
  return lines.slice(1).map((l) => {
    const cells = splitCsvLine(l);
    return Object.fromEntries(header.map((h, i) => [h, cells[i] ?? '']));
  });
}

async function optional(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/**
 * Reads a MovieLens-format folder: `ratings.csv` (userId,movieId,rating,timestamp in seconds) is
 * required; `movies.csv` (movieId,title,genres split by '|') and `tags.csv`
 * (userId,movieId,tag,timestamp) are optional. The first four columns of ratings are read by
 * position, so any `user,item,rating,timestamp` file works whatever its header says.
 */
export async function readMovieLens(dir: string): Promise<Dataset> {
  const ratings = await readFile(join(dir, 'ratings.csv'), 'utf8');
  const interactions: Interaction[] = [];
  for (const line of ratings.split(/\r?\n/).slice(1)) {
    if (!line) continue;
    const [user = '', item = '', rating = '', ts = ''] = splitCsvLine(line);
    const value = Number(rating);
    const at = Number(ts) * 1000;
    if (!user || !item || !Number.isFinite(value) || !Number.isFinite(at)) continue;
    interactions.push({ user, item, value, at });
  }
  const items = new Map<string, ItemMeta>();
  const tags = new Map<string, string[]>();
  for (const row of parseCsv((await optional(join(dir, 'tags.csv'))) ?? '')) {
    const id = row.movieId ?? '';
    if (id && row.tag) tags.set(id, [...(tags.get(id) ?? []), row.tag]);
  }
  for (const row of parseCsv((await optional(join(dir, 'movies.csv'))) ?? '')) {
    const id = row.movieId ?? '';
    if (!id) continue;
    const genres = (row.genres ?? '').split('|').filter((g) => g && g !== '(no genres listed)');
    items.set(id, { title: row.title ?? id, genres, tags: tags.get(id) ?? [] });
  }
  return { interactions, items };
}
