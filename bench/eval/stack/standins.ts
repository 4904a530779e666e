import { freePort } from '../../../local/net/free-port';
import { type RunningStandIn, startDynamoDbLocal } from '../../../local/standins/dynamodb-local';
import { startKinesalite } from '../../../local/standins/kinesalite';
import { ensureStream, ensureTables } from '../../../local/standins/tables';
import {
  createDocumentClient,
  createDynamoClient,
  createKinesisClient,
} from '../../../origin-lambdas/common/aws-clients';
import { streamName } from '../../../shared/tables';

/** DynamoDB Local and kinesalite on free ports, every table and the event stream created. */
export interface EvalStandIns {
  readonly prefix: string;
  readonly streamName: string;
  readonly dynamoEndpoint: string;
  readonly kinesisEndpoint: string;
  readonly doc: ReturnType<typeof createDocumentClient>;
  readonly kinesis: ReturnType<typeof createKinesisClient>;
  /** Stops both processes (by process group) and closes the clients; safe to call twice. */
  stop(): Promise<void>;
}

/** Starts the two stand-ins the stack eval writes to; `shards` is the event stream's shard count. */
export async function startEvalStandIns(shards = 1): Promise<EvalStandIns> {
  const started: RunningStandIn[] = [];
  const prefix = `ev${Date.now().toString(36)}`;
  const name = streamName(prefix);
  let clients: { close(): void }[] = [];
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    for (const c of clients) c.close();
    await Promise.all(started.map((s) => s.stop()));
  };
  try {
    const settled = await Promise.allSettled([
      freePort().then((port) => startDynamoDbLocal({ port })),
      freePort().then((port) => startKinesalite({ port })),
    ]);
    for (const s of settled) if (s.status === 'fulfilled') started.push(s.value);
    for (const s of settled) if (s.status === 'rejected') throw s.reason;
    const [dynamo, kinesalite] = started as [RunningStandIn, RunningStandIn];
    const client = createDynamoClient({ endpoint: dynamo.endpoint });
    const doc = createDocumentClient({ endpoint: dynamo.endpoint });
    const kinesis = createKinesisClient({ endpoint: kinesalite.endpoint });
    clients = [client, doc, kinesis].map((c) => ({ close: () => c.destroy() }));
    await Promise.all([ensureTables(client, prefix), ensureStream(kinesis, name, shards)]);
    return {
      prefix,
      streamName: name,
      dynamoEndpoint: dynamo.endpoint,
      kinesisEndpoint: kinesalite.endpoint,
      doc,
      kinesis,
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
