import type { KinesisStreamRecord } from 'aws-lambda';
import { DynamoChangeFeed } from '../../origin-lambdas/adapters/dynamodb-change-feed';
import { DynamoCounterStore } from '../../origin-lambdas/adapters/dynamodb-counter-store';
import { CampaignStore } from '../../origin-lambdas/admin/campaigns/store';
import { type RunningExperiment, runningExperiments } from '../../origin-lambdas/admin/experiments/running';
import { ExperimentStore } from '../../origin-lambdas/admin/experiments/store';
import { createDocumentClient } from '../../origin-lambdas/common/aws-clients';
import type { StreamEvent } from '../../shared/schemas/event';
import { tableName } from '../../shared/tables';
import type { ChangeFeed } from '../common/change-feed';
import { loadStreamConfig } from '../common/config';
import type { CounterStore } from '../common/counter-store';
import { decodePrefix, lagsMs } from '../common/delivered';
import { applyCounters } from '../common/exactly-once-counters';
import { type BatchReport, kinesisBatchHandler } from '../common/kinesis-handler';
import type { WriteMode } from '../common/write-mode';
import { armOf, posteriorWrites } from './attribution';
import { campaignTimeZones, capLedgerKey, capWrites } from './cap-rows';
import { experimentWrites } from './experiment-arms';

export interface PosteriorsDeps {
  readonly counters: CounterStore;
  readonly changes?: ChangeFeed;
  /** Running experiments whose variants are counted beside the arms. @default none */
  readonly experiments?: () => Promise<readonly RunningExperiment[]>;
  /** Per-user daily campaign impressions (cap rows in `users`), with the campaigns' time zones. */
  readonly caps?: {
    readonly counters: CounterStore;
    readonly timeZones: () => Promise<ReadonlyMap<string, string>>;
  };
  readonly now?: () => number;
  /** One transaction per 100 counter keys, or one request per key. @default 'transact' */
  readonly writeMode?: WriteMode;
}

/** Where the posteriors table keeps each shard's dedupe ledger. */
export const posteriorLedgerKey = (shardId: string) => ({ arm_id: '~ledger', context: shardId });

/** Applies a batch to the Beta posteriors: one fenced ADD per (arm, context) per batch. */
export async function applyBatchToPosteriors(
  deps: PosteriorsDeps,
  records: readonly KinesisStreamRecord[],
): Promise<BatchReport> {
  const decoded = decodePrefix(records);
  const running = (await deps.experiments?.()) ?? [];
  // Variant counters go through the same fenced, deduplicated writes as the arms: one ledger.
  const writes = running.length
    ? (e: StreamEvent) => [...posteriorWrites(e), ...experimentWrites(e, running)]
    : posteriorWrites;
  const mode = deps.writeMode ? { writeMode: deps.writeMode } : {};
  const out = await applyCounters(deps.counters, decoded.shardId, decoded.events, writes, mode);
  // Cap rows live in another table, so they have their own ledger there: exactly once as well.
  const caps = deps.caps
    ? await applyCounters(
        deps.caps.counters,
        decoded.shardId,
        decoded.events,
        (
          (zones) => (e: StreamEvent) =>
            capWrites(e, (id) => zones.get(id))
        )(await deps.caps.timeZones()),
        mode,
      )
    : undefined;
  const arms = new Set(out.appliedEvents.flatMap((e) => (e.event.decision_id ? [armOf(e.event)] : [])));
  arms.delete(undefined);
  if (deps.changes && arms.size) await deps.changes.publish('posteriors', [...arms] as string[]);
  const now = deps.now?.() ?? Date.now();
  return {
    failures: new Map([...decoded.failures, ...out.failures, ...(caps?.failures ?? [])]),
    counts: {
      Applied: out.applied,
      Duplicates: out.duplicates,
      KeysWritten: out.keysWritten,
      ...(caps ? { CapRowsWritten: caps.keysWritten } : {}),
    },
    lagsMs: lagsMs(out.appliedEvents, now),
  };
}

/** Builds the Kinesis handler for bandit posteriors over its stores. */
export function createPosteriorsHandler(deps: PosteriorsDeps) {
  return kinesisBatchHandler('Posteriors', (records) => applyBatchToPosteriors(deps, records));
}

let lambdaHandler: ReturnType<typeof createPosteriorsHandler> | undefined;

/** The Lambda entry point; clients are created once per container, on first use. */
export const handler: ReturnType<typeof createPosteriorsHandler> = (event, context) => {
  if (!lambdaHandler) {
    const config = loadStreamConfig();
    const doc = createDocumentClient({ endpoint: config.DYNAMODB_ENDPOINT, region: config.AWS_REGION });
    const table = tableName(config.ATTUNE_TABLE_PREFIX, 'posteriors');
    lambdaHandler = createPosteriorsHandler({
      counters: new DynamoCounterStore(doc, table, posteriorLedgerKey),
      changes: new DynamoChangeFeed(doc, config.ATTUNE_TABLE_PREFIX),
      experiments: runningExperiments(new ExperimentStore(doc, config.ATTUNE_TABLE_PREFIX)),
      caps: {
        counters: new DynamoCounterStore(doc, tableName(config.ATTUNE_TABLE_PREFIX, 'users'), capLedgerKey),
        timeZones: campaignTimeZones(new CampaignStore(doc, config.ATTUNE_TABLE_PREFIX)),
      },
      writeMode: config.STATE_WRITE_MODE,
    });
  }
  return lambdaHandler(event, context);
};
