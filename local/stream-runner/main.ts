import { join } from 'node:path';
import { z } from 'zod';
import { createKinesisClient } from '../../origin-lambdas/common/aws-clients';
import { parseConfig } from '../../origin-lambdas/common/config';
import { FileDeadLetterSink, startEventSourceMapping } from '../kinesis-runner';
import { exitWithParent } from '../supervisor/exit-with-parent';
import { STREAM_HANDLERS } from './handlers';

exitWithParent();

// What Lambda's event source mappings do in AWS: one poller per stream handler.
const config = parseConfig(
  z.object({
    KINESIS_ENDPOINT: z.url(),
    EVENT_STREAM_NAME: z.string().min(1),
    ATTUNE_DATA_DIR: z.string().min(1),
    STREAM_POLL_MS: z.coerce.number().int().min(50).max(60_000).default(1000),
    STREAM_BATCH_SIZE: z.coerce.number().int().min(1).max(10_000).default(100),
  }),
  process.env,
);
const kinesis = createKinesisClient({ endpoint: config.KINESIS_ENDPOINT });
const mappings = Object.entries(STREAM_HANDLERS).map(([functionName, handler]) =>
  startEventSourceMapping({
    functionName,
    streamName: config.EVENT_STREAM_NAME,
    kinesis,
    handler,
    pollIntervalMs: config.STREAM_POLL_MS,
    batchSize: config.STREAM_BATCH_SIZE,
    checkpointDir: join(config.ATTUNE_DATA_DIR, 'checkpoints'),
    deadLetter: new FileDeadLetterSink(join(config.ATTUNE_DATA_DIR, 'dead-letters', `${functionName}.jsonl`)),
    log: (msg, fields) =>
      console.log(`[${functionName}] ${msg}${fields ? ` ${JSON.stringify(fields)}` : ''}`),
  }),
);
console.log(
  `stream runner polling ${config.EVENT_STREAM_NAME} every ${config.STREAM_POLL_MS} ms for ${mappings.length} handler(s)`,
);
const stop = async () => {
  await Promise.all(mappings.map((m) => m.stop()));
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
