import type { KinesisClient } from '@aws-sdk/client-kinesis';
import {
  type DeadLetterRecord,
  type KinesisHandler,
  startEventSourceMapping,
} from '../../local/kinesis-runner';

/**
 * A fresh event source mapping per handler, without a checkpoint, read from TRIM_HORIZON to the
 * end of the stream: every record is delivered a second time.
 */
export async function replayFromTrimHorizon(
  kinesis: KinesisClient,
  streamName: string,
  handlers: Record<string, KinesisHandler>,
  batchSize: number,
): Promise<{ delivered: number; deadLettered: DeadLetterRecord[] }> {
  const deadLettered: DeadLetterRecord[] = [];
  let delivered = 0;
  for (const [name, handler] of Object.entries(handlers)) {
    const mapping = startEventSourceMapping({
      functionName: `${name}-replay`,
      streamName,
      kinesis,
      handler,
      batchSize,
      // Polled by hand below; the timer must not race the drain.
      pollIntervalMs: 3_600_000,
      startingPosition: 'TRIM_HORIZON',
      deadLetter: { put: async (r) => void deadLettered.push(...r) },
    });
    let empty = 0;
    while (empty < 2) {
      const r = await mapping.pollOnce();
      delivered += r.fetched;
      empty = r.fetched === 0 ? empty + 1 : 0;
    }
    await mapping.stop();
  }
  return { delivered, deadLettered };
}
