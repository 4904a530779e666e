import {
  CreateTableCommand,
  type CreateTableCommandInput,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  type DynamoDBClient,
  ListTablesCommand,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import {
  CreateStreamCommand,
  DescribeStreamSummaryCommand,
  type KinesisClient,
} from '@aws-sdk/client-kinesis';
import { TABLES, type TableDef, type TableKey, tableName } from '../../shared/tables';

/** The CreateTable request for a shared table definition (on-demand, like the CDK tables). */
export function createTableInput(prefix: string, key: TableKey): CreateTableCommandInput {
  const def: TableDef = TABLES[key];
  const attrs = new Map<string, string>();
  const keep = (a?: { name: string; type: string }) => a && attrs.set(a.name, a.type);
  keep(def.partitionKey);
  keep(def.sortKey);
  for (const g of def.globalIndexes ?? []) {
    keep(g.partitionKey);
    keep(g.sortKey);
  }
  const keySchema = (pk: { name: string }, sk?: { name: string }) => [
    { AttributeName: pk.name, KeyType: 'HASH' as const },
    ...(sk ? [{ AttributeName: sk.name, KeyType: 'RANGE' as const }] : []),
  ];
  return {
    TableName: tableName(prefix, key),
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [...attrs].map(([AttributeName, AttributeType]) => ({
      AttributeName,
      AttributeType: AttributeType as 'S' | 'N' | 'B',
    })),
    KeySchema: keySchema(def.partitionKey, def.sortKey),
    ...(def.globalIndexes?.length
      ? {
          GlobalSecondaryIndexes: def.globalIndexes.map((g) => ({
            IndexName: g.indexName,
            KeySchema: keySchema(g.partitionKey, g.sortKey),
            Projection: { ProjectionType: 'ALL' as const },
          })),
        }
      : {}),
    ...(def.stream ? { StreamSpecification: { StreamEnabled: true, StreamViewType: def.stream } } : {}),
  };
}

/** Creates every missing table and turns on TTL where the definition has one. Safe to run on every start. */
export async function ensureTables(client: DynamoDBClient, prefix: string): Promise<{ created: string[] }> {
  const existing = new Set<string>();
  let start: string | undefined;
  do {
    const page = await client.send(new ListTablesCommand({ ExclusiveStartTableName: start }));
    for (const t of page.TableNames ?? []) existing.add(t);
    start = page.LastEvaluatedTableName;
  } while (start);
  const created: string[] = [];
  for (const key of Object.keys(TABLES) as TableKey[]) {
    const name = tableName(prefix, key);
    if (!existing.has(name)) {
      await client.send(new CreateTableCommand(createTableInput(prefix, key)));
      created.push(name);
    }
    const ttl = TABLES[key] as TableDef;
    // A table made before its definition gained a stream (an existing .attune/) gets it now.
    if (ttl.stream && existing.has(name)) {
      const d = await client.send(new DescribeTableCommand({ TableName: name }));
      if (!d.Table?.StreamSpecification?.StreamEnabled)
        await client.send(
          new UpdateTableCommand({
            TableName: name,
            StreamSpecification: { StreamEnabled: true, StreamViewType: ttl.stream },
          }),
        );
    }
    if (ttl.ttlAttribute) {
      const d = await client.send(new DescribeTimeToLiveCommand({ TableName: name }));
      if (d.TimeToLiveDescription?.TimeToLiveStatus !== 'ENABLED') {
        await client.send(
          new UpdateTimeToLiveCommand({
            TableName: name,
            TimeToLiveSpecification: { AttributeName: ttl.ttlAttribute, Enabled: true },
          }),
        );
      }
    }
  }
  return { created };
}

/** Creates the event stream with `shards` shards unless it exists, and waits until it is ACTIVE. */
export async function ensureStream(client: KinesisClient, name: string, shards: number): Promise<void> {
  try {
    await client.send(new DescribeStreamSummaryCommand({ StreamName: name }));
  } catch (err) {
    if ((err as Error).name !== 'ResourceNotFoundException') throw err;
    await client.send(new CreateStreamCommand({ StreamName: name, ShardCount: shards }));
  }
  for (let i = 0; i < 100; i++) {
    const d = await client.send(new DescribeStreamSummaryCommand({ StreamName: name }));
    if (d.StreamDescriptionSummary?.StreamStatus === 'ACTIVE') return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`stream ${name} did not become ACTIVE`);
}
