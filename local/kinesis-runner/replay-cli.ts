/**
 * Re-drives a dead-letter file onto a stream.
 * Usage: node --import tsx local/kinesis-runner/replay-cli.ts --file <dead-letters.jsonl> --endpoint http://127.0.0.1:4567 --stream <name>
 */
import { parseArgs } from 'node:util';
import { createKinesisClient } from '../../origin-lambdas/common/aws-clients';
import { replayDeadLetters } from './replay-dead-letters';

const { values } = parseArgs({
  options: { file: { type: 'string' }, endpoint: { type: 'string' }, stream: { type: 'string' } },
});
if (!values.file || !values.stream) {
  console.error('usage: replay-cli --file <dead-letters.jsonl> --stream <name> [--endpoint <url>]');
  process.exit(2);
}
const kinesis = createKinesisClient(values.endpoint ? { endpoint: values.endpoint } : {});
try {
  const result = await replayDeadLetters({ file: values.file, kinesis, streamName: values.stream });
  for (const r of result.replayed) {
    console.log(`re-drove ${r.shardId}:${r.sequenceNumber} key=${r.partitionKey} (failed: ${r.error})`);
  }
  for (const r of result.failed)
    console.error(`still failing ${r.shardId}:${r.sequenceNumber}, kept in ${values.file}`);
  console.log(
    result.movedTo
      ? `${result.replayed.length} re-drove onto ${values.stream}, ${result.failed.length} failed; original moved to ${result.movedTo}`
      : `nothing to replay: ${values.file} does not exist`,
  );
  process.exitCode = result.failed.length > 0 ? 1 : 0;
} finally {
  kinesis.destroy();
}
