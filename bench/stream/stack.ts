import { fileURLToPath } from 'node:url';
import { freePort } from '../../local/net/free-port';
import { generateCatalog } from '../../local/seed/catalog';
import { startDynamoDbLocal } from '../../local/standins/dynamodb-local';
import { startKinesalite } from '../../local/standins/kinesalite';
import { spawnGroup } from '../../local/standins/process-group';
import { ensureStream, ensureTables } from '../../local/standins/tables';
import { DynamoItemCatalog } from '../../origin-lambdas/adapters/dynamodb-item-catalog';
import {
  createDocumentClient,
  createDynamoClient,
  createKinesisClient,
} from '../../origin-lambdas/common/aws-clients';

/** The real path the bench drives: DynamoDB Local, kinesalite and the ingest app, on free ports. */
export async function startBenchStack(opts: { shards: number; items: number }) {
  const [dynamo, kinesalite] = await Promise.all([
    startDynamoDbLocal({ port: await freePort() }),
    startKinesalite({ port: await freePort() }),
  ]);
  const prefix = `bench${Date.now().toString(36)}`;
  const streamName = `${prefix}-events`;
  const dynamoClient = createDynamoClient({ endpoint: dynamo.endpoint });
  const doc = createDocumentClient({ endpoint: dynamo.endpoint });
  const kinesis = createKinesisClient({ endpoint: kinesalite.endpoint });
  await ensureTables(dynamoClient, prefix);
  await ensureStream(kinesis, streamName, opts.shards);
  const catalog = generateCatalog({ items: opts.items });
  await new DynamoItemCatalog(doc, prefix).putItems(catalog);
  const script = fileURLToPath(new URL('./ingest-server.ts', import.meta.url));
  let announce: (port: number) => void = () => undefined;
  const listening = new Promise<number>((r) => {
    announce = r;
  });
  const ingest = spawnGroup(
    'ingest',
    process.execPath,
    ['--import', 'tsx', script, kinesalite.endpoint, streamName],
    {
      env: { ...process.env, ATTUNE_SUPERVISED: '1' },
      onLine: (line) => {
        const m = /^listening (\d+)/.exec(line);
        if (m) announce(Number(m[1]));
        else if (line.trim()) console.log(`[ingest] ${line}`);
      },
    },
  );
  const ingestUrl = `http://127.0.0.1:${await listening}/v1/events`;
  return {
    prefix,
    streamName,
    doc,
    kinesis,
    ingestUrl,
    itemIds: catalog.map((i) => i.item_id),
    async stop() {
      await ingest.stop();
      doc.destroy();
      dynamoClient.destroy();
      kinesis.destroy();
      await Promise.all([dynamo.stop(), kinesalite.stop()]);
    },
  };
}

export type BenchStack = Awaited<ReturnType<typeof startBenchStack>>;
