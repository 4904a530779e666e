import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { KinesisClient } from '@aws-sdk/client-kinesis';
import { freePort } from '../../local/net/free-port';
import { type RunningStandIn, startDynamoDbLocal } from '../../local/standins/dynamodb-local';
import { startKinesalite } from '../../local/standins/kinesalite';
import { ensureStream, ensureTables } from '../../local/standins/tables';
import { createDynamoClient, createKinesisClient } from '../../origin-lambdas/common/aws-clients';

/** DynamoDB Local on a free port with every table created under a unique prefix. */
export interface TestDynamo {
  readonly standIn: RunningStandIn;
  readonly client: DynamoDBClient;
  readonly prefix: string;
  stop(): Promise<void>;
}

export async function startTestDynamo(prefix = `t${Date.now().toString(36)}`): Promise<TestDynamo> {
  const standIn = await startDynamoDbLocal({ port: await freePort() });
  const client = createDynamoClient({ endpoint: standIn.endpoint });
  await ensureTables(client, prefix);
  return {
    standIn,
    client,
    prefix,
    async stop() {
      client.destroy();
      await standIn.stop();
    },
  };
}

export interface TestKinesis {
  readonly standIn: RunningStandIn;
  readonly client: KinesisClient;
  readonly streamName: string;
  stop(): Promise<void>;
}

export async function startTestKinesis(streamName = 'test-events', shards = 2): Promise<TestKinesis> {
  const standIn = await startKinesalite({ port: await freePort() });
  const client = createKinesisClient({ endpoint: standIn.endpoint });
  await ensureStream(client, streamName, shards);
  return {
    standIn,
    client,
    streamName,
    async stop() {
      client.destroy();
      await standIn.stop();
    },
  };
}
