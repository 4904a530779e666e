import { describe, expect, it } from 'vitest';
import { contentTokens, fnv1a, HashedNgramEncoder } from '../../../shared/embedding/hashed-encoder';
import { cosine } from '../../../shared/vector-math';

describe('HashedNgramEncoder', () => {
  const enc = new HashedNgramEncoder(32);

  it('hashes with FNV-1a', () => {
    expect(fnv1a('')).toBe(0x811c9dc5);
    expect(fnv1a('a')).toBe(0xe40c292c);
  });

  it('tokenizes words, bigrams, trigrams and metadata', () => {
    expect(contentTokens({ modality: 'text', text: 'Red Shoe', metadata: { brand: 'Acme' } })).toEqual([
      'modality=text',
      'w:red',
      'c:#re',
      'c:red',
      'c:ed#',
      'w:shoe',
      'b:red shoe',
      'c:#sh',
      'c:sho',
      'c:hoe',
      'c:oe#',
      'm:brand=acme',
    ]);
  });

  it('is deterministic, unit length and of the declared dimension', async () => {
    const [a, b] = await enc.encode([
      { modality: 'image', text: 'Trail running shoes' },
      { modality: 'image', text: 'Trail running shoes' },
    ]);
    expect(a).toEqual(b);
    expect(a).toHaveLength(32);
    expect(Math.hypot(...a!)).toBeCloseTo(1, 5);
    expect(enc.spaceVersion).toBe('hashed-ngram-v1-d32-s17');
  });

  it('puts texts that share words closer than unrelated texts', () => {
    const shoes = enc.encodeOne({ modality: 'image', text: 'lightweight trail running shoes' });
    const shoes2 = enc.encodeOne({ modality: 'image', text: 'trail running shoes for women' });
    const podcast = enc.encodeOne({ modality: 'audio', text: 'weekly economics podcast interview' });
    expect(cosine(shoes, shoes2)).toBeGreaterThan(cosine(shoes, podcast) + 0.2);
  });
});
