import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoItemCatalog } from '../../origin-lambdas/adapters/dynamodb-item-catalog';
import { loadEmbeddedIndex } from '../../origin-lambdas/adapters/vector/embedded-index';
import { savePartitionedIndex } from '../../origin-lambdas/adapters/vector/partition-files';
import { PartitionedVectorIndex } from '../../origin-lambdas/adapters/vector/partitioned-index';
import { UsearchVectorIndex } from '../../origin-lambdas/adapters/vector/usearch-index';
import { createDocumentClient } from '../../origin-lambdas/common/aws-clients';
import { loadOriginConfig } from '../../origin-lambdas/common/config';
import type { CatalogItem } from '../../shared/ports/item-catalog';
import { startTestDynamo, type TestDynamo } from '../helpers/standins';

const item = (id: string, embedding: number[]): CatalogItem => ({
  item_id: id,
  title: id,
  category: 'films',
  modality: 'video',
  price: 0,
  popularity: 1,
  created_at: '2026-01-01T00:00:00.000Z',
  available: true,
  embedding,
});

// A short vector straight along the query and a long one at an angle: cosine and inner product
// disagree on which comes first.
const ITEMS = [item('short', [0.5, 0]), item('long', [4, 3])];

describe('embedded index metric (DynamoDB Local items table)', () => {
  let dynamo: TestDynamo;
  let doc: DynamoDBDocumentClient;
  const dir = mkdtempSync(join(tmpdir(), 'attune-metric-'));
  beforeAll(async () => {
    dynamo = await startTestDynamo();
    doc = createDocumentClient({ endpoint: dynamo.standIn.endpoint });
    await new DynamoItemCatalog(doc, dynamo.prefix).putItems(ITEMS);
  }, 60_000);
  afterAll(async () => {
    doc?.destroy();
    await dynamo?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('defaults the origin to inner product', () => {
    expect(loadOriginConfig({}).VECTOR_METRIC).toBe('ip');
    expect(loadOriginConfig({ VECTOR_METRIC: 'cos' }).VECTOR_METRIC).toBe('cos');
    expect(() => loadOriginConfig({ VECTOR_METRIC: 'l2' })).toThrow(/VECTOR_METRIC/);
  });

  it('refuses a saved index of another metric and rebuilds it from the items table', async () => {
    const stale = new PartitionedVectorIndex({ dimensions: 2, metric: 'cos' });
    await stale.upsert([{ id: 'stale-only', vector: [1, 0], category: 'films' }]);
    savePartitionedIndex(stale, dir);
    const warnings: string[] = [];

    const index = await loadEmbeddedIndex({
      doc,
      prefix: dynamo.prefix,
      dimensions: 2,
      dir,
      metric: 'ip',
      warn: (m) => warnings.push(m),
    });

    expect(warnings).toEqual([
      expect.stringMatching(/built with metric 'cos', not 'ip'.*rebuilding from the items table/),
    ]);
    expect(index.metric).toBe('ip');
    const hits = await index.search([1, 0], 2);
    expect(hits.map((h) => h.id)).toEqual(['long', 'short']);
    expect(hits.map((h) => h.score)).toEqual([expect.closeTo(4, 5), expect.closeTo(0.5, 5)]);
    // The rebuilt index replaced the stale one on disk and now loads as it is.
    expect(JSON.parse(readFileSync(join(dir, 'partitions.json'), 'utf8')).metric).toBe('ip');
    const again = await loadEmbeddedIndex({ doc, prefix: dynamo.prefix, dimensions: 2, dir, metric: 'ip' });
    expect((await again.search([1, 0], 1))[0]?.id).toBe('long');
  });

  it('searches with the probes it is given, loaded or built', async () => {
    const built = await loadEmbeddedIndex({
      doc,
      prefix: dynamo.prefix,
      dimensions: 2,
      metric: 'ip',
      nprobe: 3,
    });
    const loaded = await loadEmbeddedIndex({
      doc,
      prefix: dynamo.prefix,
      dimensions: 2,
      dir,
      metric: 'ip',
      nprobe: 5,
    });
    expect([built.nprobe, loaded.nprobe]).toEqual([3, 5]);
  });

  it('rebuilds over a single-graph index saved before partitions', async () => {
    const legacyDir = join(dir, 'legacy');
    const single = new UsearchVectorIndex({ dimensions: 2, metric: 'ip' });
    await single.upsert([{ id: 'stale-only', vector: [1, 0], category: 'films' }]);
    single.save(legacyDir);
    const warnings: string[] = [];

    const index = await loadEmbeddedIndex({
      doc,
      prefix: dynamo.prefix,
      dimensions: 2,
      dir: legacyDir,
      metric: 'ip',
      warn: (m) => warnings.push(m),
    });

    expect(warnings).toEqual([expect.stringMatching(/single graph, not partitioned; rebuilding/)]);
    expect((await index.search([1, 0], 3)).map((h) => h.id)).toEqual(['long', 'short']);
    expect(JSON.parse(readFileSync(join(legacyDir, 'partitions.json'), 'utf8')).metric).toBe('ip');
  });
});
