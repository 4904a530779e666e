import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { releaseYear } from '../../../local/training/catalog-items';
import { readMovieLens, splitCsvLine } from '../../../local/training/movielens';

describe('MovieLens-format reader', () => {
  it('splits quoted CSV cells', () => {
    expect(splitCsvLine('11,"American President, The (1995)",Comedy|Drama')).toEqual([
      '11',
      'American President, The (1995)',
      'Comedy|Drama',
    ]);
    expect(splitCsvLine('1,"say ""hi""",x')).toEqual(['1', 'say "hi"', 'x']);
  });

  it('reads ratings by position and joins movies and tags; other datasets need only ratings.csv', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'attune-ml-'));
    try {
      await writeFile(join(dir, 'ratings.csv'), 'user,item,score,ts\n1,10,4.5,100\n2,11,3,200\n');
      let ds = await readMovieLens(dir);
      expect(ds.interactions).toEqual([
        { user: '1', item: '10', value: 4.5, at: 100_000 },
        { user: '2', item: '11', value: 3, at: 200_000 },
      ]);
      expect(ds.items.size).toBe(0);
      await writeFile(
        join(dir, 'movies.csv'),
        'movieId,title,genres\n10,"Heat, The (1995)",Action|Crime\n11,Nothing (2001),(no genres listed)\n',
      );
      await writeFile(join(dir, 'tags.csv'), 'userId,movieId,tag,timestamp\n1,10,heist,5\n');
      ds = await readMovieLens(dir);
      expect(ds.items.get('10')).toEqual({
        title: 'Heat, The (1995)',
        genres: ['Action', 'Crime'],
        tags: ['heist'],
      });
      expect(ds.items.get('11')?.genres).toEqual([]);
      expect(releaseYear('Heat, The (1995)')).toBe(1995);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
