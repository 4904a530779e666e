import { OpenSearchVectorIndex } from '../../origin-lambdas/adapters/vector/opensearch-index';
import { createDocumentClient } from '../../origin-lambdas/common/aws-clients';
import { originConfigSchema, parseConfig } from '../../origin-lambdas/common/config';
import { openSearchIndexFor } from '../../origin-lambdas/common/opensearch-index-for';
import { itemIndexerConfigSchema } from './config';
import { rebuildFromItems } from './rebuild';

const USAGE = `usage: npm run index:rebuild

Loads every indexable item of the items table into a new OpenSearch index and moves the alias to it
(the first load after a deploy, or a full rebuild). Reads OPENSEARCH_ENDPOINT (required),
OPENSEARCH_ALIAS, VECTOR_DIMENSIONS, VECTOR_METRIC, AWS_REGION, ATTUNE_TABLE_PREFIX and
DYNAMODB_ENDPOINT (unset: the AWS endpoint). Requests to *.amazonaws.com are SigV4-signed with your
credentials, whose role the search domain must map (docs/vector-search.md).`;

async function main(argv: string[]): Promise<number> {
  if (argv.length) {
    console.error(USAGE);
    return argv[0] === '--help' || argv[0] === '-h' ? 0 : 2;
  }
  const config = parseConfig(
    itemIndexerConfigSchema.extend(
      originConfigSchema.pick({ ATTUNE_TABLE_PREFIX: true, DYNAMODB_ENDPOINT: true }).shape,
    ),
    process.env,
  );
  const index = openSearchIndexFor(config);
  if (!(index instanceof OpenSearchVectorIndex))
    throw new Error('OPENSEARCH_ENDPOINT is not an OpenSearch node');
  const doc = createDocumentClient({ endpoint: config.DYNAMODB_ENDPOINT, region: config.AWS_REGION });
  const started = performance.now();
  let last = 0;
  const result = await rebuildFromItems(doc, config.ATTUNE_TABLE_PREFIX, index, ({ phase, done }) => {
    const now = performance.now();
    if (now - last < 2000) return;
    last = now;
    console.error(
      `index:rebuild ${phase} ${done.toLocaleString('en')} items, ${((now - started) / 1000).toFixed(0)} s`,
    );
  });
  doc.destroy();
  console.error(
    `index:rebuild loaded ${result.items.toLocaleString('en')} items into ${result.index} in ` +
      `${((performance.now() - started) / 1000).toFixed(1)} s; alias ${config.OPENSEARCH_ALIAS} moved` +
      (result.previous.length ? `, removed ${result.previous.join(', ')}` : ''),
  );
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: Error) => {
    console.error(`index:rebuild failed: ${err.message}`);
    process.exit(1);
  },
);
