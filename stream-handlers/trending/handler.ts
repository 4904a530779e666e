import type { KinesisStreamRecord } from 'aws-lambda';
import { DynamoCounterStore } from '../../origin-lambdas/adapters/dynamodb-counter-store';
import { DynamoItemCatalog } from '../../origin-lambdas/adapters/dynamodb-item-catalog';
import { createDocumentClient } from '../../origin-lambdas/common/aws-clients';
import { tableName } from '../../shared/tables';
import { loadStreamConfig } from '../common/config';
import type { CounterStore } from '../common/counter-store';
import { decodePrefix, lagsMs } from '../common/delivered';
import { applyCounters } from '../common/exactly-once-counters';
import { createItemLookup, type ItemLookup } from '../common/item-lookup';
import { type BatchReport, kinesisBatchHandler } from '../common/kinesis-handler';
import type { WriteMode } from '../common/write-mode';
import { trendingWrites } from './counts';

export interface TrendingDeps {
  readonly counters: CounterStore;
  readonly items: ItemLookup;
  readonly now?: () => number;
  /** One transaction per 100 counter keys, or one request per key. @default 'transact' */
  readonly writeMode?: WriteMode;
}

/** Where the trending table keeps each shard's dedupe ledger (no expiry attribute: kept). */
export const trendingLedgerKey = (shardId: string) => ({ scope: '~ledger', bucket: shardId });

/** Applies a batch to the trending buckets: one read of the batch's items, one fenced ADD per row. */
export async function applyBatchToTrending(
  deps: TrendingDeps,
  records: readonly KinesisStreamRecord[],
): Promise<BatchReport> {
  const decoded = decodePrefix(records);
  const items = await deps.items(decoded.events.flatMap((e) => (e.event.item_id ? [e.event.item_id] : [])));
  const out = await applyCounters(
    deps.counters,
    decoded.shardId,
    decoded.events,
    (e) => trendingWrites(e, (id) => items.get(id)?.category),
    deps.writeMode ? { writeMode: deps.writeMode } : {},
  );
  return {
    failures: new Map([...decoded.failures, ...out.failures]),
    counts: { Applied: out.applied, Duplicates: out.duplicates, KeysWritten: out.keysWritten },
    lagsMs: lagsMs(out.appliedEvents, deps.now?.() ?? Date.now()),
  };
}

/** Builds the Kinesis handler for trending counts over its stores. */
export function createTrendingHandler(deps: TrendingDeps) {
  return kinesisBatchHandler('Trending', (records) => applyBatchToTrending(deps, records));
}

let lambdaHandler: ReturnType<typeof createTrendingHandler> | undefined;

/** The Lambda entry point; clients are created once per container, on first use. */
export const handler: ReturnType<typeof createTrendingHandler> = (event, context) => {
  if (!lambdaHandler) {
    const config = loadStreamConfig();
    const doc = createDocumentClient({ endpoint: config.DYNAMODB_ENDPOINT, region: config.AWS_REGION });
    lambdaHandler = createTrendingHandler({
      counters: new DynamoCounterStore(
        doc,
        tableName(config.ATTUNE_TABLE_PREFIX, 'trending'),
        trendingLedgerKey,
      ),
      items: createItemLookup(new DynamoItemCatalog(doc, config.ATTUNE_TABLE_PREFIX)),
      writeMode: config.STATE_WRITE_MODE,
    });
  }
  return lambdaHandler(event, context);
};
