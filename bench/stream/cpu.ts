import type { Context, KinesisStreamEvent } from 'aws-lambda';
import { generateCatalog } from '../../local/seed/catalog';
import { decodeEventRecord } from '../../shared/schemas/event-record';
import { HANDLER_NAMES, type HandlerName, memoryHandlers } from './handlers';

const context = { functionName: 'bench', awsRequestId: 'bench' } as Context;

/**
 * Handler compute per event, waits on DynamoDB excluded: the batches the live run delivered are
 * run again through the same handlers over null adapters, timing process CPU (user + system).
 */
export async function measureHandlerCpu(
  batches: readonly KinesisStreamEvent[],
  items: number,
): Promise<{ total: number; per: Record<HandlerName, number> }> {
  const catalog = new Map(generateCatalog({ items }).map((i) => [i.item_id, i]));
  const handlers = memoryHandlers(catalog);
  const events = batches.reduce(
    (n, b) =>
      n + b.Records.reduce((m, r) => m + decodeEventRecord(Buffer.from(r.kinesis.data, 'base64')).length, 0),
    0,
  );
  const per = {} as Record<HandlerName, number>;
  for (const name of HANDLER_NAMES) {
    const start = process.cpuUsage();
    for (const batch of batches) await handlers[name](batch, context);
    const used = process.cpuUsage(start);
    per[name] = Math.round(((used.user + used.system) / Math.max(1, events)) * 10) / 10;
  }
  const total = Math.round(Object.values(per).reduce((a, b) => a + b, 0) * 10) / 10;
  return { total, per };
}
