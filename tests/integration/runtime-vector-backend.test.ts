import { Client } from '@opensearch-project/opensearch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OpenSearchVectorIndex } from '../../origin-lambdas/adapters/vector/opensearch-index';
import { loadOriginConfig } from '../../origin-lambdas/common/config';
import { createOriginRuntime } from '../../origin-lambdas/common/runtime';
import { type FakeOpenSearch, startFakeOpenSearch } from '../helpers/fake-opensearch';

// What a deployed recommend function runs with (VECTOR_BACKEND=opensearch, no native adapters),
// pointed at the documented OpenSearch fake: no OpenSearch server can run here.
describe('origin runtime: the vector backend a Lambda gets', () => {
  let fake: FakeOpenSearch;
  beforeAll(async () => {
    fake = await startFakeOpenSearch();
  });
  afterAll(async () => {
    await fake?.close();
  });

  it('retrieves from OpenSearch k-NN with only the Lambda bundle (no native adapters)', async () => {
    const alias = 'runtime-items';
    const loader = new OpenSearchVectorIndex({
      client: new Client({ node: fake.url }),
      alias,
      dimensions: 4,
      refresh: true,
    });
    await loader.rebuild([
      { id: 'north', vector: [1, 0, 0, 0], category: 'books' },
      { id: 'east', vector: [0, 1, 0, 0], category: 'games' },
      { id: 'north-east', vector: [0.7, 0.7, 0, 0], category: 'books' },
    ]);
    const rt = createOriginRuntime(
      loadOriginConfig({
        VECTOR_BACKEND: 'opensearch',
        OPENSEARCH_ENDPOINT: fake.url,
        OPENSEARCH_ALIAS: alias,
        VECTOR_DIMENSIONS: '4',
      }),
    );

    const hits = await rt.index().search([1, 0.1, 0, 0], 2);

    expect(hits.map((h) => h.id)).toEqual(['north', 'north-east']);
    expect(fake.requests.some((r) => r.startsWith(`POST /${alias}/_search`))).toBe(true);
  });

  it('fails the k-NN sources with a message naming the missing setting, instead of at start-up', async () => {
    const rt = createOriginRuntime(loadOriginConfig({ VECTOR_BACKEND: 'opensearch' }));
    await expect(rt.index().search([1, 0], 5)).rejects.toThrow(
      'VECTOR_BACKEND=opensearch needs OPENSEARCH_ENDPOINT',
    );
    const embedded = createOriginRuntime(loadOriginConfig({}));
    await expect(embedded.index().search([1, 0], 5)).rejects.toThrow(
      /no embedded vector index in this build/,
    );
  });
});
