import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@opensearch-project/opensearch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCatalog } from '../../local/seed/catalog';
import { ExactVectorIndex } from '../../origin-lambdas/adapters/vector/exact-index';
import { type VectorMetric, VectorMetricMismatchError } from '../../origin-lambdas/adapters/vector/metric';
import { OpenSearchVectorIndex } from '../../origin-lambdas/adapters/vector/opensearch-index';
import { PartitionedVectorIndex } from '../../origin-lambdas/adapters/vector/partitioned-index';
import { UsearchVectorIndex } from '../../origin-lambdas/adapters/vector/usearch-index';
import type { VectorIndex } from '../../shared/ports/vector-index';
import { type FakeOpenSearch, startFakeOpenSearch } from '../helpers/fake-opensearch';

const DIM = 32;
const catalog = generateCatalog({ items: 1200 });
const records = catalog.map((i) => ({ id: i.item_id, vector: i.embedding, category: i.category }));

// No OpenSearch server can run here: the OpenSearch adapter runs against the documented fake
// (tests/helpers/fake-opensearch.ts, exact cosine scoring); its requests are pinned to fixtures in
// tests/unit/origin/opensearch-index.test.ts.
let fake: FakeOpenSearch;
let client: Client;
let aliases = 0;
beforeAll(async () => {
  fake = await startFakeOpenSearch();
  client = new Client({ node: fake.url });
});
afterAll(async () => {
  await client?.close();
  await fake?.close();
});

// One suite, every adapter of the port, under both metrics. The seeded catalog is unit-norm, so the
// shared cases hold for either; the last case is where cosine and inner product disagree.
type Make = (metric: VectorMetric, dimensions?: number) => VectorIndex;
const factories: [string, Make][] = [
  ['exact', (metric, dimensions = DIM) => new ExactVectorIndex(dimensions, metric)],
  ['usearch HNSW', (metric, dimensions = DIM) => new UsearchVectorIndex({ dimensions, metric })],
  // Defaults: the catalogs here are below the training size, so this is the exact, untrained stage.
  [
    'partitioned HNSW, untrained',
    (metric, dimensions = DIM) => new PartitionedVectorIndex({ dimensions, metric }),
  ],
  // Trained on the first 64 vectors: every case with a catalog runs on the partitions' graphs.
  [
    'partitioned HNSW, 6 partitions',
    (metric, dimensions = DIM) =>
      new PartitionedVectorIndex({ dimensions, metric, partitions: 6, nprobe: 2, trainSize: 64 }),
  ],
  [
    'OpenSearch k-NN (fake server)',
    (metric, dimensions = DIM) =>
      new OpenSearchVectorIndex({ client, alias: `items-${++aliases}`, dimensions, refresh: true, metric }),
  ],
];
const adapters = factories.flatMap(([name, make]) =>
  (['cos', 'ip'] as const).map((metric) => [name, metric, make] as const),
);

describe.each(adapters)('VectorIndex contract: %s (%s)', (_name, metric, build) => {
  const make = () => build(metric);

  it('ranks by its metric where cosine and inner product disagree', async () => {
    // `short` points exactly along the query but is short; `long` is 37 degrees off and 5x longer.
    const idx = build(metric, 2);
    await idx.upsert([
      { id: 'short', vector: [0.5, 0], category: 'a' },
      { id: 'long', vector: [4, 3], category: 'a' },
      { id: 'away', vector: [-1, 0.1], category: 'a' },
    ]);
    const hits = await idx.search([1, 0], 3);
    if (metric === 'ip') {
      expect(hits.map((h) => h.id)).toEqual(['long', 'short', 'away']);
      expect(hits.map((h) => h.score)).toEqual([4, 0.5, -1].map((x) => expect.closeTo(x, 5)));
    } else {
      expect(hits.map((h) => h.id)).toEqual(['short', 'long', 'away']);
      expect(hits[0]?.score).toBeCloseTo(1, 5);
      expect(hits[1]?.score).toBeCloseTo(0.8, 5);
    }
  });

  it('finds an item as its own nearest neighbour', async () => {
    const idx = make();
    await idx.upsert(records);
    expect(await idx.size()).toBe(1200);
    const [hit] = await idx.search(catalog[17]!.embedding, 1);
    expect(hit?.id).toBe(catalog[17]!.item_id);
    expect(hit?.score).toBeCloseTo(1, 4);
  });

  it('applies category and exclusion filters', async () => {
    const idx = make();
    await idx.upsert(records);
    const q = catalog[0]!.embedding;
    const hits = await idx.search(q, 20, {
      categories: new Set(['books']),
      excludeIds: new Set([catalog[3]!.item_id]),
    });
    expect(hits).toHaveLength(20);
    for (const h of hits) {
      expect(catalog.find((c) => c.item_id === h.id)?.category).toBe('books');
      expect(h.id).not.toBe(catalog[3]!.item_id);
    }
  });

  it('still returns k hits, the best of the rest, when exclusions take the whole unfiltered top k', async () => {
    const idx = make();
    await idx.upsert(records);
    const q = catalog[0]!.embedding;
    const top = await idx.search(q, 30);
    const excluded = new Set(top.slice(0, 25).map((h) => h.id));

    const hits = await idx.search(q, 10, { excludeIds: excluded });

    expect(hits).toHaveLength(10);
    for (const h of hits) expect(excluded.has(h.id)).toBe(false);
    expect(hits.slice(0, 5).map((h) => h.id)).toEqual(top.slice(25, 30).map((h) => h.id));
  });

  it('upsert replaces a vector and remove deletes it', async () => {
    const idx = make();
    await idx.upsert(records.slice(0, 100));
    await idx.upsert([{ id: 'item-00001', vector: catalog[50]!.embedding, category: 'x' }]);
    expect(await idx.size()).toBe(100);
    const top = await idx.search(catalog[50]!.embedding, 2);
    expect(top.map((h) => h.id).sort()).toEqual(['item-00001', catalog[50]!.item_id].sort());
    await idx.remove(['item-00001']);
    expect((await idx.search(catalog[50]!.embedding, 2)).map((h) => h.id)).not.toContain('item-00001');
    expect(await idx.size()).toBe(99);
  });

  it('refuses vectors of the wrong dimension', async () => {
    await expect(make().upsert([{ id: 'bad', vector: [1, 2, 3] }])).rejects.toThrow(/dimensions/);
  });
});

describe('usearch HNSW index', () => {
  const dir = mkdtempSync(join(tmpdir(), 'attune-index-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reaches recall@50 of at least 0.95 against exact search', async () => {
    const exact = new ExactVectorIndex(DIM);
    const hnsw = new UsearchVectorIndex({ dimensions: DIM });
    await exact.upsert(records);
    await hnsw.upsert(records);
    let found = 0;
    const queries = catalog.slice(0, 50);
    for (const q of queries) {
      const truth = new Set((await exact.search(q.embedding, 50)).map((h) => h.id));
      for (const h of await hnsw.search(q.embedding, 50)) if (truth.has(h.id)) found++;
    }
    expect(found / (queries.length * 50)).toBeGreaterThanOrEqual(0.95);
  });

  it('reaches recall@100 of at least 0.95 against exact search on the 1200-item catalog', async () => {
    const exact = new ExactVectorIndex(DIM);
    const hnsw = new UsearchVectorIndex({ dimensions: DIM });
    await exact.upsert(records);
    await hnsw.upsert(records);
    const k = 100;
    // Every 12th item as a query: 100 queries spread over all categories.
    const queries = catalog.filter((_, i) => i % 12 === 0);
    let found = 0;
    for (const q of queries) {
      const truth = new Set((await exact.search(q.embedding, k)).map((h) => h.id));
      for (const h of await hnsw.search(q.embedding, k)) if (truth.has(h.id)) found++;
    }
    expect(queries).toHaveLength(100);
    expect(found / (queries.length * k)).toBeGreaterThanOrEqual(0.95);
  });

  it('persists to disk and loads back with the same answers', async () => {
    const hnsw = new UsearchVectorIndex({ dimensions: DIM });
    await hnsw.upsert(records.slice(0, 300));
    hnsw.save(dir);
    const loaded = UsearchVectorIndex.load(dir, { dimensions: DIM });
    expect(loaded).toBeDefined();
    expect(await loaded!.size()).toBe(300);
    const q = catalog[7]!.embedding;
    expect(await loaded!.search(q, 10)).toEqual(await hnsw.search(q, 10));
    expect(UsearchVectorIndex.load(join(dir, 'missing'), { dimensions: DIM })).toBeUndefined();
  });

  it('records its metric and refuses to load under another one', async () => {
    const ipDir = join(dir, 'ip');
    const hnsw = new UsearchVectorIndex({ dimensions: DIM, metric: 'ip' });
    await hnsw.upsert(records.slice(0, 50));
    hnsw.save(ipDir);
    expect(UsearchVectorIndex.load(ipDir, { dimensions: DIM, metric: 'ip' })?.metric).toBe('ip');
    expect(() => UsearchVectorIndex.load(ipDir, { dimensions: DIM, metric: 'cos' })).toThrow(
      VectorMetricMismatchError,
    );
    expect(() => UsearchVectorIndex.load(ipDir, { dimensions: DIM })).toThrow(
      /built with metric 'ip', not 'cos'; rebuild it/,
    );
    // An index saved before metrics were recorded is a cosine one.
    const legacy = join(dir, 'legacy');
    cpSync(ipDir, legacy, { recursive: true });
    const { metric: _, ...old } = JSON.parse(readFileSync(join(legacy, 'ids.json'), 'utf8'));
    writeFileSync(join(legacy, 'ids.json'), JSON.stringify(old));
    expect(() => UsearchVectorIndex.load(legacy, { dimensions: DIM, metric: 'ip' })).toThrow(
      /built with metric 'cos', not 'ip'/,
    );
  });
});
