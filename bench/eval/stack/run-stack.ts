import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildBundle } from '../../../local/training/build-bundle';
import type { Interaction } from '../../../local/training/interactions';
import type { Dataset } from '../../../local/training/movielens';
import { publishBundle } from '../../../local/training/publish';
import { DynamoItemCatalog } from '../../../origin-lambdas/adapters/dynamodb-item-catalog';
import { DynamoUserStateStore } from '../../../origin-lambdas/adapters/dynamodb-user-state-store';
import { savePartitionedIndex } from '../../../origin-lambdas/adapters/vector/partition-files';
import { PartitionedVectorIndex } from '../../../origin-lambdas/adapters/vector/partitioned-index';
import { loadOriginConfig } from '../../../origin-lambdas/common/config';
import { NATIVE_ADAPTERS } from '../../../origin-lambdas/common/native-adapters';
import { createOriginRuntime } from '../../../origin-lambdas/common/runtime';
import { recommendAppFor } from '../../../origin-lambdas/recommend/wire';
import { HashedNgramEncoder } from '../../../shared/embedding/hashed-encoder';
import { startModelServerProcess } from '../../common/model-server';
import type { EvalReport } from '../run-eval';
import { inProcessMethods, rankerReport } from '../run-eval';
import { evaluateSequential } from '../sequential';
import { temporalSplit } from '../split';
import { leakOrder } from './exclusions';
import { log } from './progress';
import { evaluateServedSequential, type SequentialUser } from './sequential-served';
import { EVAL_SURFACES, prepareServing } from './serving-setup';
import { startEvalStandIns } from './standins';
import { checkStreamedState } from './state-check';
import { startStreamPath } from './stream-path';
import { evaluateServedTopN, type ServedUser } from './topn-served';
import { trainedProfiles, writeUserStates } from './user-states';

export interface StackEvalOptions {
  /** Retrieval depth of the in-process pipeline (and of the ranker's training examples). @default 20 */
  readonly candidates?: number;
  /** ALS factors. @default 32 */
  readonly factors?: number;
  /** Sequential steps replayed at most. @default 20 */
  readonly maxSteps?: number;
  /** Evaluate only the first N users with a test positive. @default all */
  readonly users?: number;
  /** The local Kinesis mapping's poll interval. @default 100 */
  readonly pollMs?: number;
  /** Origin requests in flight. @default 4 */
  readonly concurrency?: number;
  /** Registers the cleanup so a Ctrl-C stops every process this run started. */
  readonly onCleanup?: (stop: () => Promise<void>) => void;
}

const round1 = (x: number) => Math.round(x * 10) / 10;

/**
 * Attune as served, literally: the bundle `npm run train` builds from the training split, served
 * by the real model server; items, the vector index, users, fallback lists and rules written
 * through the production adapters into DynamoDB Local; every top 10 asked of the real origin app;
 * and the sequential replay's events sent through ingest, kinesalite, the local Kinesis mapping
 * and the user-state handler. Baselines and the in-process pipeline run on the same model.
 */
export async function runStackEvaluation(ds: Dataset, opts: StackEvalOptions = {}): Promise<EvalReport> {
  const started = performance.now();
  const phases: Record<string, number> = {};
  let t = performance.now();
  const phase = (name: string) => {
    phases[name] = round1((performance.now() - t) / 1000);
    t = performance.now();
  };
  const candidates = opts.candidates ?? 200;
  const factors = opts.factors ?? 32;
  const maxSteps = opts.maxSteps ?? 20;
  const concurrency = opts.concurrency ?? 4;
  const pollMs = opts.pollMs ?? 100;
  const split = temporalSplit(ds.interactions);
  const evaluated = [...split.positives.keys()].slice(0, opts.users ?? Number.POSITIVE_INFINITY);
  log(`split: ${split.train.length} training interactions, ${evaluated.length} users evaluated`);

  const dir = await mkdtemp(join(tmpdir(), 'attune-eval-stack-'));
  const modelDir = join(dir, 'models');
  const vectorDir = join(dir, 'vectors');
  const cleanups: (() => Promise<void>)[] = [async () => rm(dir, { recursive: true, force: true })];
  let cleaned = false;
  const cleanup = async () => {
    if (cleaned) return;
    cleaned = true;
    for (const c of cleanups.splice(0).reverse()) await c().catch(() => undefined);
  };
  opts.onCleanup?.(cleanup);
  try {
    const built = await buildBundle({
      interactions: split.train,
      meta: ds.items,
      encoder: new HashedNgramEncoder(32),
      modelDir,
      version: `eval-${Date.now().toString(36)}`,
      training: { candidates, als: { factors } },
    });
    const model = built.model;
    log(`bundle ${built.manifest.version}: ${built.items.length} items (${built.coldItems} cold)`);
    phase('train');

    const chosen = new Set(evaluated);
    const subset = { ...split, positives: new Map([...split.positives].filter(([u]) => chosen.has(u))) };
    const methods = await inProcessMethods(model, subset, { candidates, log });
    methods.attune_inprocess = methods.attune as NonNullable<typeof methods.attune>;
    delete methods.attune;
    const truncated = new Map(
      evaluated.map((u) => [u, (split.test.get(u) ?? []).slice(0, maxSteps)] as [string, Interaction[]]),
    );
    const inProcessSequential = evaluateSequential(model, truncated, { users: chosen });
    phase('in_process');

    const standIns = await startEvalStandIns(1);
    cleanups.push(standIns.stop);
    const catalog = new DynamoItemCatalog(standIns.doc, standIns.prefix);
    // The runtime loads a partitioned index (a single graph saved here would be refused and rebuilt).
    const index = new PartitionedVectorIndex({ dimensions: factors, metric: 'ip' });
    await publishBundle({ modelDir, manifest: built.manifest, items: built.items, catalog, index });
    savePartitionedIndex(index, vectorDir);
    const server = await startModelServerProcess(modelDir);
    cleanups.push(() => server.process.stop());
    if (server.version !== built.manifest.version)
      throw new Error(`model server serves ${server.version}, not ${built.manifest.version}`);
    log(`model server at ${server.url} serving ${server.version}; DynamoDB prefix ${standIns.prefix}`);

    const profiles = trainedProfiles(split.train, built.items);
    const twin = (u: string) => `frozen-${u}`;
    await writeUserStates(new DynamoUserStateStore(standIns.doc, standIns.prefix), [
      ...profiles.values(),
      ...evaluated.flatMap((u) => {
        const p = profiles.get(u);
        return p ? [{ ...p, user_id: twin(u) }] : [];
      }),
    ]);
    const serving = await prepareServing(standIns.doc, standIns.prefix);
    log(`${serving.lists} fallback lists written; rules of '${EVAL_SURFACES.off}' stored`);
    phase('load');

    const env = {
      ATTUNE_TABLE_PREFIX: standIns.prefix,
      AWS_REGION: 'us-east-1',
      DYNAMODB_ENDPOINT: standIns.dynamoEndpoint,
      KINESIS_ENDPOINT: standIns.kinesisEndpoint,
      EVENT_STREAM_NAME: standIns.streamName,
      SAGEMAKER_ENDPOINT_URL: server.url,
      ATTUNE_VECTOR_DIR: vectorDir,
      VECTOR_DIMENSIONS: String(factors),
      // Quality, not latency, is measured: generous budgets keep a busy 2-core box off the ladder.
      MODEL_TIMEOUT_MS: '3000',
      DYNAMODB_TIMEOUT_MS: '3000',
      RETRIEVAL_TIMEOUT_MS: '3000',
    };
    const runtime = createOriginRuntime(loadOriginConfig(env), NATIVE_ADAPTERS);
    cleanups.push(async () => runtime.doc().destroy());
    const app = recommendAppFor(runtime);
    const vectors = new Map(built.items.map((i) => [i.item_id, i.embedding]));
    const trainedOf = new Map<string, Set<string>>();
    for (const x of split.train) {
      const s = trainedOf.get(x.user);
      if (s) s.add(x.item);
      else trainedOf.set(x.user, new Set([x.item]));
    }
    const orderOf = new Map(
      evaluated.map((u) => [u, leakOrder(trainedOf.get(u) ?? [], profiles.get(u)?.embedding, vectors)]),
    );
    const servedUsers: ServedUser[] = evaluated.map((u) => {
      const recent = new Set((profiles.get(u)?.recent_items ?? []).slice(0, 50));
      return {
        user: u,
        relevant: split.positives.get(u) ?? new Set(),
        trained: trainedOf.get(u) ?? new Set(),
        exclude: (orderOf.get(u) ?? []).filter((id) => !recent.has(id)),
      };
    });
    const off = await evaluateServedTopN(app, model.set, servedUsers, {
      surface: EVAL_SURFACES.off,
      concurrency,
      label: `top-N as served, diversity off (${EVAL_SURFACES.off})`,
    });
    log(`as served, diversity off: NDCG@10 ${off.result.ndcg10.toFixed(4)} ${JSON.stringify(off.stats)}`);
    const on = await evaluateServedTopN(app, model.set, servedUsers, {
      surface: EVAL_SURFACES.on,
      concurrency,
      label: `top-N as served, default rules (${EVAL_SURFACES.on})`,
    });
    log(`as served, default rules: NDCG@10 ${on.result.ndcg10.toFixed(4)} ${JSON.stringify(on.stats)}`);
    methods.attune = off.result;
    methods.attune_diversity_on = on.result;
    phase('top_n');

    const path = startStreamPath({
      doc: standIns.doc,
      prefix: standIns.prefix,
      kinesis: standIns.kinesis,
      streamName: standIns.streamName,
      stream: runtime.stream(),
      pollMs,
    });
    cleanups.push(() => path.stop());
    const seqUsers: SequentialUser[] = evaluated.map((u) => ({
      user: u,
      twin: twin(u),
      trained: trainedOf.get(u) ?? new Set(),
      leakOrder: orderOf.get(u) ?? [],
      recent: profiles.get(u)?.recent_items ?? [],
      test: split.test.get(u) ?? [],
    }));
    const seq = await evaluateServedSequential(app, path, seqUsers, {
      surface: EVAL_SURFACES.off,
      concurrency,
      maxSteps,
    });
    log(
      `sequential as served: frozen HR@10 ${seq.result.frozen.hr10.toFixed(4)}, streaming ` +
        `${seq.result.streaming.hr10.toFixed(4)} over ${seq.result.steps} steps; ${seq.eventsSent} events in ` +
        `${seq.ingestRequests} ingest requests, ${seq.applySeconds} s waiting for the stream`,
    );
    const stateCheck = await checkStreamedState(
      new DynamoUserStateStore(standIns.doc, standIns.prefix),
      seqUsers.flatMap((u) => {
        const trained = profiles.get(u.user);
        return trained ? [{ user: u.user, twin: u.twin, trained, sent: seq.sent.get(u.user) ?? [] }] : [];
      }),
    );
    log(`state after the replay: ${JSON.stringify(stateCheck)}`);
    // The mapping's counters trail the stored state by the last batch: report them once settled.
    await path.counted(seq.eventsSent);
    phase('sequential');
    return {
      methods,
      sequential: seq.result,
      ranker: rankerReport(model),
      data: {
        users: model.set.users.size,
        items: model.set.items.size,
        train: split.train.length,
        evaluatedUsers: evaluated.length,
      },
      stack: {
        model_version: built.manifest.version,
        surfaces: EVAL_SURFACES,
        served: { diversity_off: off.stats.toJSON(), diversity_on: on.stats.toJSON() },
        sequential: {
          frozen: seq.frozen.toJSON(),
          streaming: seq.streaming.toJSON(),
          events: seq.eventsSent,
          ingest_requests: seq.ingestRequests,
          apply_wait_s: seq.applySeconds,
          max_steps: maxSteps,
          in_process_same_steps: inProcessSequential,
          mapping: path.stats(),
          state_check: stateCheck,
        },
        settings: { poll_ms: pollMs, concurrency, candidates, factors },
        phases_s: phases,
        elapsed_s: round1((performance.now() - started) / 1000),
      },
    };
  } finally {
    await cleanup();
  }
}
