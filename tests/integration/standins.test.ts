import { DescribeTableCommand, DescribeTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import { DescribeStreamSummaryCommand } from '@aws-sdk/client-kinesis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { groupAlive } from '../../local/standins/process-group';
import { ensureTables } from '../../local/standins/tables';
import { TABLES, tableName } from '../../shared/tables';
import { startTestDynamo, startTestKinesis, type TestDynamo, type TestKinesis } from '../helpers/standins';

describe('local stand-ins', () => {
  let dynamo: TestDynamo;
  let kinesis: TestKinesis;
  beforeAll(async () => {
    [dynamo, kinesis] = await Promise.all([
      startTestDynamo('standins'),
      startTestKinesis('standins-events', 3),
    ]);
  });
  afterAll(async () => {
    await Promise.all([dynamo?.stop(), kinesis?.stop()]);
  });

  it('creates every shared table with its key schema, GSIs and TTL', async () => {
    const users = await dynamo.client.send(
      new DescribeTableCommand({ TableName: tableName('standins', 'users') }),
    );
    expect(users.Table?.KeySchema).toEqual([
      { AttributeName: 'user_id', KeyType: 'HASH' },
      { AttributeName: 'facet', KeyType: 'RANGE' },
    ]);
    const items = await dynamo.client.send(
      new DescribeTableCommand({ TableName: tableName('standins', 'items') }),
    );
    expect(items.Table?.GlobalSecondaryIndexes?.map((g) => g.IndexName)).toEqual(['by_category']);
    const ttl = await dynamo.client.send(
      new DescribeTimeToLiveCommand({ TableName: tableName('standins', 'trending') }),
    );
    expect(ttl.TimeToLiveDescription).toMatchObject({
      AttributeName: 'expires_at',
      TimeToLiveStatus: 'ENABLED',
    });
  });

  it('creating tables again is a no-op', async () => {
    const again = await ensureTables(dynamo.client, 'standins');
    expect(again.created).toEqual([]);
    expect(Object.keys(TABLES).length).toBeGreaterThan(5);
  });

  it('creates the stream with the requested shard count', async () => {
    const d = await kinesis.client.send(new DescribeStreamSummaryCommand({ StreamName: 'standins-events' }));
    expect(d.StreamDescriptionSummary?.OpenShardCount).toBe(3);
  });

  it('stopping a stand-in ends its whole process group', async () => {
    const pgid = kinesis.standIn.process.pid;
    expect(groupAlive(pgid)).toBe(true);
    await kinesis.standIn.stop();
    expect(groupAlive(pgid)).toBe(false);
  });
});
