import { createHash } from 'node:crypto';
import { Client } from '@opensearch-project/opensearch';
import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openSearchClient } from '../../../origin-lambdas/adapters/vector/opensearch-client';
import { OpenSearchVectorIndex } from '../../../origin-lambdas/adapters/vector/opensearch-index';
import { ITEMS_INDEX_BODY, itemsIndexBody } from '../../../origin-lambdas/adapters/vector/opensearch-mapping';
import {
  BulkIndexError,
  cosineFromScore,
  indexVersion,
  innerProductFromScore,
  knnSearchBody,
} from '../../../origin-lambdas/adapters/vector/opensearch-queries';
import type { VectorIndex } from '../../../shared/ports/vector-index';
import { type FakeOpenSearch, startFakeOpenSearch } from '../../helpers/fake-opensearch';
import { loadFixture, type Replay, startReplay, withoutHeaders } from '../../helpers/opensearch-replay';

const ALIAS = 'attune-items';

/** Runs `act` against a server replaying `fixture`; returns what was sent and what `act` produced. */
async function replay<T>(
  fixture: string,
  act: (idx: OpenSearchVectorIndex, replay: Replay) => Promise<T>,
  opts: {
    engine?: 'lucene' | 'faiss';
    bulkChunkSize?: number;
    refresh?: boolean;
    metric?: 'cos' | 'ip';
  } = {},
): Promise<{ server: Replay; result: PromiseSettledResult<T> }> {
  const server = await startReplay(loadFixture(fixture).exchanges);
  const client = new Client({ node: server.url });
  const idx = new OpenSearchVectorIndex({ client, alias: ALIAS, dimensions: 3, refresh: true, ...opts });
  try {
    const [result] = await Promise.allSettled([act(idx, server)]);
    return { server, result: result as PromiseSettledResult<T> };
  } finally {
    await client.close();
    await server.close();
  }
}

function value<T>(r: PromiseSettledResult<T>): T {
  if (r.status === 'rejected') throw r.reason;
  return r.value;
}

describe('OpenSearchVectorIndex against documented request/response fixtures', () => {
  it('creates <alias>-v1 with the shared k-NN mapping and points the alias when none exists', async () => {
    const { server, result } = await replay('ensure-index-fresh', (idx) => idx.ensureIndex());
    expect(value(result)).toBe('attune-items-v1');
    expect(withoutHeaders(server.received)).toEqual(server.expected);
    // The fixture pins the very body the CDK custom resource deploys, at 3 dimensions.
    expect(server.received[1]?.body).toEqual(JSON.parse(JSON.stringify(itemsIndexBody({ dimensions: 3 }))));
    expect(itemsIndexBody({ dimensions: 32 })).toEqual(ITEMS_INDEX_BODY);
  });

  it('creates a faiss index when asked for the faiss engine', async () => {
    const { server, result } = await replay('ensure-index-faiss', (idx) => idx.ensureIndex(), {
      engine: 'faiss',
    });
    expect(value(result)).toBe('attune-items-v1');
    expect(withoutHeaders(server.received)).toEqual(server.expected);
  });

  it('leaves an existing alias alone and tolerates losing the create race', async () => {
    const existing = await replay('ensure-index-existing', (idx) => idx.ensureIndex());
    expect(value(existing.result)).toBe('attune-items-v3');
    expect(withoutHeaders(existing.server.received)).toEqual(existing.server.expected);

    const race = await replay('ensure-index-race', (idx) => idx.ensureIndex());
    expect(value(race.result)).toBe('attune-items-v1');
    expect(withoutHeaders(race.server.received)).toEqual(race.server.expected);
  });

  it('upserts through the alias with one NDJSON _bulk request', async () => {
    const { server, result } = await replay('upsert', (idx) =>
      idx.upsert([
        { id: 'item-1', vector: Float32Array.from([1, 0, 0]), category: 'books' },
        { id: 'item-2', vector: [0, 0.5, -0.25] },
      ]),
    );
    value(result);
    expect(withoutHeaders(server.received)).toEqual(server.expected);
    expect(server.received[1]?.headers['content-type']).toBe('application/x-ndjson');
  });

  it('throws with every failing id when _bulk answers 200 with item errors', async () => {
    const { server, result } = await replay('upsert-item-errors', (idx) =>
      idx.upsert([
        { id: 'item-1', vector: [1, 0, 0], category: 'books' },
        { id: 'item-2', vector: [0, 0.5, -0.25] },
        { id: 'item-3', vector: [0.5, 0.5, 0], category: 'music' },
      ]),
    );
    expect(withoutHeaders(server.received)).toEqual(server.expected);
    expect(result.status).toBe('rejected');
    const err = (result as PromiseRejectedResult).reason as BulkIndexError;
    expect(err).toBeInstanceOf(BulkIndexError);
    expect(err.message).toMatch(/2 item\(s\): item-2, item-3 \(first: 429 es_rejected_execution_exception/);
    expect(err.failures.map((f) => [f.id, f.status, f.type])).toEqual([
      ['item-2', 429, 'es_rejected_execution_exception'],
      ['item-3', 403, 'cluster_block_exception'],
    ]);
  });

  it('removes with _bulk deletes and treats a missing id as done', async () => {
    const { server, result } = await replay('remove', (idx) => idx.remove(['item-1', 'ghost']));
    value(result);
    expect(withoutHeaders(server.received)).toEqual(server.expected);
  });

  it('sends one filtered k-NN query and maps cosinesimil scores back to cosine', async () => {
    const { server, result } = await replay(
      'search-filtered',
      (idx) =>
        idx.search([0.5, -0.25, 1], 3, {
          categories: new Set(['music', 'books']),
          excludeIds: new Set(['item-2', 'item-1']),
        }),
      { metric: 'cos' },
    );
    expect(withoutHeaders(server.received)).toEqual(server.expected);
    const hits = value(result);
    expect(hits.map((h) => h.id)).toEqual(['item-7', 'item-9', 'item-4']);
    for (const [i, cos] of [0.95, 0.5, -0.5].entries()) expect(hits[i]?.score).toBeCloseTo(cos, 12);
  });

  it('maps innerproduct scores (dot + 1, or 1 / (1 - dot) below 0) back to inner products', async () => {
    const { server, result } = await replay('search-filtered-ip', (idx) =>
      idx.search([0.5, -0.25, 1], 3, {
        categories: new Set(['music', 'books']),
        excludeIds: new Set(['item-2', 'item-1']),
      }),
    );
    expect(withoutHeaders(server.received)).toEqual(server.expected);
    const hits = value(result);
    expect(hits.map((h) => h.id)).toEqual(['item-7', 'item-9', 'item-4']);
    for (const [i, dot] of [1.5, 0.25, -1].entries()) expect(hits[i]?.score).toBeCloseTo(dot, 12);
  });

  it('creates innerproduct indexes by default (the trained embeddings need it) and cosinesimil on request', () => {
    expect(ITEMS_INDEX_BODY.mappings.properties.embedding.method.space_type).toBe('innerproduct');
    expect(itemsIndexBody({ metric: 'cos' }).mappings.properties.embedding.method.space_type).toBe(
      'cosinesimil',
    );
  });

  it('sends no filter clause without options and parses an empty answer', async () => {
    const { server, result } = await replay('search-plain', (idx) => idx.search([1, 0, 0], 5));
    expect(withoutHeaders(server.received)).toEqual(server.expected);
    expect(value(result)).toEqual([]);
  });

  it('refuses a partial answer when a shard failed', async () => {
    const { result } = await replay('search-shard-failure', (idx) => idx.search([1, 0, 0], 2));
    expect(result.status).toBe('rejected');
    expect(String((result as PromiseRejectedResult).reason)).toMatch(
      /failed on 1 of 2 shards: circuit_breaking_exception: \[parent\] Data too large/,
    );
  });

  it('surfaces a missing alias on search as the 404 index_not_found_exception', async () => {
    const { result } = await replay('search-missing-alias', (idx) => idx.search([1, 0, 0], 1));
    expect(result.status).toBe('rejected');
    const err = (result as PromiseRejectedResult).reason as { statusCode: number; body: unknown };
    expect(err.statusCode).toBe(404);
    expect(JSON.stringify(err.body)).toContain('index_not_found_exception');
  });

  it('reads size() from _count on the alias', async () => {
    const { server, result } = await replay('count', (idx) => idx.size());
    expect(value(result)).toBe(1200);
    expect(withoutHeaders(server.received)).toEqual(server.expected);
  });

  it('rebuilds into v<n+1> in chunks, refreshes, swaps the alias atomically and drops the old index', async () => {
    const progress: number[] = [];
    const { server, result } = await replay(
      'rebuild',
      (idx) =>
        idx.rebuild(
          [
            { id: 'item-1', vector: [1, 0, 0], category: 'books' },
            { id: 'item-2', vector: [0, 1, 0], category: 'music' },
            { id: 'item-3', vector: [0, 0, 1] },
          ],
          { onProgress: (p) => void progress.push(p.indexed) },
        ),
      { bulkChunkSize: 2 },
    );
    expect(value(result)).toEqual({ index: 'attune-items-v4', previous: ['attune-items-v3'] });
    expect(withoutHeaders(server.received)).toEqual(server.expected);
    expect(progress).toEqual([2, 3]);
  });

  it('deletes the half-built index and leaves the alias when the load fails', async () => {
    const { server, result } = await replay(
      'rebuild-failure',
      (idx) =>
        idx.rebuild([
          { id: 'item-1', vector: [1, 0, 0], category: 'books' },
          { id: 'item-2', vector: [0, 1, 0], category: 'music' },
        ]),
      { bulkChunkSize: 2 },
    );
    expect(withoutHeaders(server.received)).toEqual(server.expected);
    expect(String((result as PromiseRejectedResult).reason)).toMatch(/item-2/);
    expect(server.received.some((r) => r.path === '/_aliases')).toBe(false);
  });

  it('checks dimensions before sending anything', async () => {
    const { server, result } = await replay('count', (idx) => idx.upsert([{ id: 'bad', vector: [1, 2] }]));
    expect(String((result as PromiseRejectedResult).reason)).toMatch(/bad has 2 dimensions, not 3/);
    expect(server.received).toEqual([]);
  });
});

describe('k-NN request builders', () => {
  it('puts exactly the sorted categories and excluded ids in the knn filter', () => {
    const id = fc.stringMatching(/^[a-z0-9-]{1,8}$/);
    fc.assert(
      fc.property(
        fc.option(fc.uniqueArray(id, { maxLength: 5 }), { nil: undefined }),
        fc.uniqueArray(id, { maxLength: 5 }),
        (cats, excluded) => {
          const body = knnSearchBody([1, 0], 7, {
            ...(cats ? { categories: new Set(cats) } : {}),
            excludeIds: new Set(excluded),
          }) as {
            size: number;
            query: { knn: { embedding: { k: number; filter?: { bool: Record<string, unknown> } } } };
          };
          const knn = body.query.knn.embedding;
          expect([body.size, knn.k]).toEqual([7, 7]);
          const bool = knn.filter?.bool ?? {};
          expect(bool.filter).toEqual(cats ? [{ terms: { category: [...cats].sort() } }] : undefined);
          expect(bool.must_not).toEqual(
            excluded.length ? [{ ids: { values: [...excluded].sort() } }] : undefined,
          );
          expect(knn.filter === undefined).toBe(!cats && !excluded.length);
        },
      ),
    );
  });

  it('inverts the documented cosinesimil score (2 - (1 - cos)) / 2 and parses index versions', () => {
    fc.assert(
      fc.property(fc.double({ min: -1, max: 1, noNaN: true }), (cos) => {
        expect(cosineFromScore((2 - (1 - cos)) / 2)).toBeCloseTo(cos, 12);
      }),
    );
    fc.assert(
      fc.property(fc.double({ min: -1e3, max: 1e3, noNaN: true }), (dot) => {
        const score = dot >= 0 ? dot + 1 : 1 / (1 - dot);
        expect(innerProductFromScore(score)).toBeCloseTo(dot, 9);
      }),
    );
    expect(indexVersion('attune-items', 'attune-items-v12')).toBe(12);
    expect(indexVersion('attune-items', 'attune-items-v1x')).toBe(0);
    expect(indexVersion('attune-items', 'other-v3')).toBe(0);
  });
});

describe('OpenSearchVectorIndex against the fake OpenSearch', () => {
  let fake: FakeOpenSearch;
  let client: Client;
  let n = 0;
  const make = (alias = `items-${++n}`) =>
    // Cosine: these cases are about aliases and writes, and their expected neighbours are by angle.
    new OpenSearchVectorIndex({
      client,
      alias,
      dimensions: 3,
      refresh: true,
      bulkChunkSize: 2,
      metric: 'cos',
    });
  const recs = (ids: string[], category = 'books') =>
    ids.map((id, i) => ({ id, vector: [1, i + 1, 0], category }));

  beforeAll(async () => {
    fake = await startFakeOpenSearch();
    client = new Client({ node: fake.url });
  });
  afterAll(async () => {
    await client.close();
    await fake.close();
  });
  afterEach(() => {
    fake.requests.length = 0;
  });

  it('keeps serving the old index through the alias until the swap (zero downtime)', async () => {
    const idx = make('zero-downtime');
    await idx.upsert(recs(['a', 'b', 'c']));
    const seen: { size: number; top: string | undefined; aliases: Record<string, string[]> }[] = [];
    const result = await idx.rebuild(recs(['x', 'y', 'z', 'w', 'v'], 'music'), {
      onProgress: async () => {
        seen.push({
          size: await idx.size(),
          top: (await idx.search([1, 1, 0], 1))[0]?.id,
          aliases: fake.aliases(),
        });
      },
    });
    expect(seen).toEqual([
      { size: 3, top: 'a', aliases: { 'zero-downtime': ['zero-downtime-v1'] } },
      { size: 3, top: 'a', aliases: { 'zero-downtime': ['zero-downtime-v1'] } },
      { size: 3, top: 'a', aliases: { 'zero-downtime': ['zero-downtime-v1'] } },
    ]);
    expect(result).toEqual({ index: 'zero-downtime-v2', previous: ['zero-downtime-v1'] });
    expect(fake.aliases()['zero-downtime']).toEqual(['zero-downtime-v2']);
    expect(fake.indexNames()).not.toContain('zero-downtime-v1');
    expect(await idx.size()).toBe(5);
    expect((await idx.search([1, 1, 0], 1, { categories: new Set(['music']) }))[0]?.id).toBe('x');
    // Later writes go to the new index through the alias.
    await idx.upsert(recs(['u']));
    expect(await idx.size()).toBe(6);
  });

  it('rolls a failed rebuild back: new index gone, alias and data unchanged', async () => {
    const idx = make('rollback');
    await idx.upsert(recs(['a', 'b']));
    fake.rejectIds(['boom']);
    await expect(idx.rebuild(recs(['x', 'y', 'boom']))).rejects.toThrow(
      /boom.*es_rejected_execution_exception/,
    );
    expect(fake.aliases().rollback).toEqual(['rollback-v1']);
    expect(fake.indexNames().filter((i) => i.startsWith('rollback'))).toEqual(['rollback-v1']);
    expect(await idx.size()).toBe(2);
  });

  it('asks for the alias once per instance and never writes to a bare index name', async () => {
    const idx = make('once');
    await idx.upsert(recs(['a']));
    await idx.upsert(recs(['b']));
    await idx.remove(['a']);
    expect(fake.requests.filter((r) => r.startsWith('GET /_alias/'))).toEqual(['GET /_alias/once']);
    expect(fake.requests.filter((r) => r.includes('_bulk'))).toEqual(
      Array(3).fill('POST /_bulk?refresh=wait_for&require_alias=true'),
    );
  });

  it('makes writes searchable only with refresh, as OpenSearch does', async () => {
    const lazy = new OpenSearchVectorIndex({ client, alias: 'lazy', dimensions: 3 });
    await lazy.upsert(recs(['a', 'b']));
    expect(await lazy.size()).toBe(0);
    await client.indices.refresh({ index: 'lazy' });
    expect(await lazy.size()).toBe(2);
  });
});

describe('openSearchClient', () => {
  it('signs every request with SigV4 for service es when a region is given', async () => {
    const server = await startReplay([
      {
        request: { method: 'GET', path: '/attune-items/_count' },
        response: {
          status: 200,
          body: { count: 4, _shards: { total: 1, successful: 1, skipped: 0, failed: 0 } },
        },
      },
    ]);
    const client = openSearchClient({
      node: server.url,
      region: 'eu-west-1',
      getCredentials: async () => ({
        accessKeyId: 'AKIDEXAMPLE',
        secretAccessKey: 'secret',
        sessionToken: 'tok',
      }),
    });
    const idx: VectorIndex = new OpenSearchVectorIndex({ client, alias: ALIAS, dimensions: 3 });
    try {
      expect(await idx.size()).toBe(4);
      const h = server.received[0]?.headers ?? {};
      expect(h.authorization).toMatch(
        /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/eu-west-1\/es\/aws4_request, SignedHeaders=[a-z0-9;-]*host[a-z0-9;-]*x-amz-date[a-z0-9;-]*, Signature=[0-9a-f]{64}$/,
      );
      expect(h['x-amz-security-token']).toBe('tok');
      expect(h['x-amz-content-sha256']).toBe(createHash('sha256').update('').digest('hex'));
    } finally {
      await client.close();
      await server.close();
    }
  });

  it('sends unsigned requests to a local node without a region', async () => {
    const server = await startReplay([
      {
        request: { method: 'GET', path: '/attune-items/_count' },
        response: {
          status: 200,
          body: { count: 0, _shards: { total: 1, successful: 1, skipped: 0, failed: 0 } },
        },
      },
    ]);
    const client = openSearchClient({ node: server.url });
    try {
      expect((await client.count({ index: ALIAS })).body.count).toBe(0);
      expect(server.received[0]?.headers.authorization).toBeUndefined();
    } finally {
      await client.close();
      await server.close();
    }
  });
});
