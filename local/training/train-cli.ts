import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DynamoItemCatalog } from '../../origin-lambdas/adapters/dynamodb-item-catalog';
import { UsearchVectorIndex } from '../../origin-lambdas/adapters/vector/usearch-index';
import { createDocumentClient } from '../../origin-lambdas/common/aws-clients';
import { HashedNgramEncoder } from '../../shared/embedding/hashed-encoder';
import { loadLocalConfig } from '../config';
import { buildBundle } from './build-bundle';
import { readEventLog } from './event-log';
import { readMovieLens } from './movielens';
import { publishBundle } from './publish';
import { publishRelated } from './publish-related';

// npm run train -- --dataset movielens --path DIR [--model-dir DIR] [--dynamo URL] [--keep N]
// npm run train -- --events events.jsonl ...
// Progress on stderr; one JSON line (the manifest) on stdout.
const { values } = parseArgs({
  options: {
    dataset: { type: 'string' },
    path: { type: 'string' },
    events: { type: 'string' },
    'model-dir': { type: 'string' },
    version: { type: 'string' },
    dynamo: { type: 'string' },
    'table-prefix': { type: 'string' },
    keep: { type: 'string', default: '5' },
    'no-publish': { type: 'boolean', default: false },
  },
});
const log = (m: string) => process.stderr.write(`train: ${m}\n`);
const cfg = loadLocalConfig();
const modelDir = values['model-dir'] ?? join(cfg.ATTUNE_DATA_DIR, 'models');

let interactions: Awaited<ReturnType<typeof readEventLog>>;
let meta: Awaited<ReturnType<typeof readMovieLens>>['items'] | undefined;
if (values.dataset === 'movielens' && values.path) {
  const ds = await readMovieLens(values.path);
  interactions = ds.interactions;
  meta = ds.items;
} else if (values.events) {
  interactions = await readEventLog(values.events);
} else {
  log(
    'usage: npm run train -- (--dataset movielens --path DIR | --events FILE.jsonl) [--model-dir DIR] [--dynamo URL]',
  );
  process.exit(2);
}
log(`${interactions.length} interactions`);
const built = await buildBundle({
  interactions,
  meta,
  encoder: new HashedNgramEncoder(32),
  modelDir,
  version: values.version,
  training: { progress: true },
});
log(
  `bundle ${built.manifest.version} written to ${join(modelDir, built.manifest.version)} (${built.coldItems} cold items)`,
);
if (!values['no-publish']) {
  const catalog = values.dynamo
    ? new DynamoItemCatalog(
        createDocumentClient({ endpoint: values.dynamo }),
        values['table-prefix'] ?? cfg.ATTUNE_TABLE_PREFIX,
      )
    : undefined;
  // Inner product: the trained CF embeddings carry signal in their norms (the origin's VECTOR_METRIC).
  const index = new UsearchVectorIndex({ dimensions: built.model.dimensions, metric: 'ip' });
  const { pruned } = await publishBundle({
    modelDir,
    manifest: built.manifest,
    items: built.items,
    catalog,
    index,
    keep: Number(values.keep),
  });
  index.save(join(modelDir, built.manifest.version, 'index'));
  if (catalog) log(`${(await publishRelated(catalog, built.model.set)).lists} co-interaction lists written`);
  log(
    `published ${built.manifest.version}${catalog ? ' (items written to DynamoDB)' : ''}; pruned ${pruned.length} old versions`,
  );
}
process.stdout.write(`${JSON.stringify(built.manifest)}\n`);
