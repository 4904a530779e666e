import {
  GetRecordsCommand,
  GetShardIteratorCommand,
  type GetShardIteratorInput,
} from '@aws-sdk/client-kinesis';
import { type BatchEnv, emptyCounters, processBatch } from './batch-processor';
import { CheckpointStore, checkpointFile } from './checkpoint-store';
import { nextPollDelay } from './poll-delay';
import { listAllShards, pollableShards, type ShardInfo } from './shards';
import type { EventSourceMapping, EventSourceMappingOptions, PollResult, ShardPollResult } from './types';

const message = (err: unknown) => `${(err as Error)?.name ?? 'Error'}: ${(err as Error)?.message ?? err}`;

/**
 * Starts a local Kinesis event source mapping: polls every shard of the stream and invokes the
 * handler the way Lambda's mapping does (batches in order per shard, partial batch responses,
 * bisect on error, bounded retries, dead letters, checkpoints). The first timed poll runs after
 * `pollIntervalMs`; `pollOnce()` polls right away.
 */
export function startEventSourceMapping(opts: EventSourceMappingOptions): EventSourceMapping {
  const batchSize = opts.batchSize ?? 100;
  const pollIntervalMs = opts.pollIntervalMs ?? 1000;
  const busyPollIntervalMs = Math.min(pollIntervalMs, opts.busyPollIntervalMs ?? 600);
  const shardRefreshMs = opts.shardRefreshMs ?? 30_000;
  const { functionName, streamName, kinesis } = opts;
  const log = opts.log ?? (() => undefined);
  const checkpoints = new CheckpointStore(
    opts.checkpointDir ? checkpointFile(opts.checkpointDir, functionName, streamName) : undefined,
    { functionName, streamName },
  );
  const env: BatchEnv = {
    handler: opts.handler,
    policy: {
      maxRetryAttempts: opts.maxRetryAttempts ?? 3,
      bisectBatchOnError: opts.bisectBatchOnError ?? true,
    },
    deadLetter: opts.deadLetter,
    checkpoints,
    counters: emptyCounters(),
    log,
  };

  let shards: ShardInfo[] = [];
  // Shards of the first listing honour startingPosition; shards that appear later are read whole.
  let firstListing: Set<string> | undefined;
  let nextRefreshAt = 0;
  const iterators = new Map<string, string>();
  const finished = new Set<string>();
  let loaded: Promise<void> | undefined;
  // One poll at a time: this is what keeps two batches of one shard from ever running together.
  let chain: Promise<unknown> = Promise.resolve();
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;

  async function refreshShards(): Promise<void> {
    shards = await listAllShards(kinesis, streamName);
    nextRefreshAt = Date.now() + shardRefreshMs;
    if (!firstListing) {
      firstListing = new Set(shards.map((s) => s.shardId));
      log('mapping started', { functionName, streamName, shards: [...firstListing] });
    }
  }

  async function iteratorFor(shardId: string): Promise<string | undefined> {
    const after = checkpoints.get(shardId);
    const input: GetShardIteratorInput = after
      ? {
          ShardIteratorType: 'AFTER_SEQUENCE_NUMBER',
          StartingSequenceNumber: after,
          StreamName: streamName,
          ShardId: shardId,
        }
      : {
          ShardIteratorType: firstListing?.has(shardId)
            ? (opts.startingPosition ?? 'TRIM_HORIZON')
            : 'TRIM_HORIZON',
          StreamName: streamName,
          ShardId: shardId,
        };
    return (await kinesis.send(new GetShardIteratorCommand(input))).ShardIterator;
  }

  async function pollShard(shardId: string): Promise<ShardPollResult> {
    const result: ShardPollResult = { shardId, fetched: 0, invocations: 0, deadLettered: 0 };
    try {
      const iterator = iterators.get(shardId) ?? (await iteratorFor(shardId));
      if (!iterator) return result;
      const out = await kinesis.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: batchSize }));
      const records = out.Records ?? [];
      result.fetched = records.length;
      if (records.length > 0) {
        Object.assign(result, await processBatch(records, { functionName, streamName, shardId }, env));
      }
      if (out.NextShardIterator) iterators.set(shardId, out.NextShardIterator);
      else {
        // A closed shard read to its end: its children may start.
        iterators.delete(shardId);
        finished.add(shardId);
        log('shard drained', { shardId });
      }
    } catch (err) {
      // Start over after the checkpoint next time; an expired iterator lands here too.
      iterators.delete(shardId);
      if ((err as Error)?.name !== 'ExpiredIteratorException') {
        result.error = message(err);
        log('shard poll failed', { shardId, error: result.error });
      }
    }
    return result;
  }

  async function pollAll(): Promise<PollResult> {
    loaded ??= checkpoints.load();
    await loaded;
    if (!firstListing || Date.now() >= nextRefreshAt) await refreshShards();
    const results: ShardPollResult[] = [];
    const polled = new Set<string>();
    // A shard drained in this poll frees its children, which are polled in the same round.
    for (let round = pollableShards(shards, finished); round.length > 0; ) {
      for (const s of round) polled.add(s.shardId);
      results.push(...(await Promise.all(round.map((s) => pollShard(s.shardId)))));
      round = pollableShards(shards, finished).filter((s) => !polled.has(s.shardId));
    }
    const sum = (k: 'fetched' | 'invocations' | 'deadLettered') => results.reduce((n, r) => n + r[k], 0);
    return {
      shards: results,
      fetched: sum('fetched'),
      invocations: sum('invocations'),
      deadLettered: sum('deadLettered'),
    };
  }

  function pollOnce(): Promise<PollResult> {
    if (stopped) return Promise.reject(new Error(`mapping ${functionName} is stopped`));
    const run = chain.then(pollAll);
    chain = run.catch(() => undefined);
    return run;
  }

  // Set once a poll brings records; the first empty poll after that logs `caught up`, which the
  // local supervisor waits for after seeding (a backlog keeps DynamoDB Local busy).
  let backlog = false;
  async function tick(): Promise<void> {
    const started = Date.now();
    let delay = pollIntervalMs;
    try {
      const r = await pollOnce();
      delay = nextPollDelay(
        {
          fetched: r.fetched,
          full: r.shards.some((s) => s.fetched >= batchSize),
          elapsedMs: Date.now() - started,
        },
        { pollIntervalMs, busyPollIntervalMs },
      );
      if (r.fetched > 0) backlog = true;
      else if (backlog) {
        backlog = false;
        log('caught up', { streamName });
      }
    } catch (err) {
      if (!stopped) log('poll failed', { error: message(err) });
    }
    if (!stopped) timer = setTimeout(tick, delay);
  }
  timer = setTimeout(tick, pollIntervalMs);

  return {
    pollOnce,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await chain;
      await checkpoints.flush();
      log('mapping stopped', { functionName, streamName, checkpoints: checkpoints.all() });
    },
    stats: () => ({ ...env.counters, checkpoints: checkpoints.all() }),
  };
}
