import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { EMBEDDING_DIM, generateCatalog } from '../../local/seed/catalog';
import { DynamoItemCatalog } from '../../origin-lambdas/adapters/dynamodb-item-catalog';
import { DynamoUserStateStore } from '../../origin-lambdas/adapters/dynamodb-user-state-store';
import { loadOriginConfig } from '../../origin-lambdas/common/config';
import { NATIVE_ADAPTERS } from '../../origin-lambdas/common/native-adapters';
import { createOriginRuntime } from '../../origin-lambdas/common/runtime';
import { recommendAppFor } from '../../origin-lambdas/recommend/wire';
import type { CatalogItem } from '../../shared/ports/item-catalog';
import { seededRandom } from '../../shared/random';
import type { OriginBenchArgs } from './args';
import { FlatExactScan } from './exact-scan';
import { runLoad, type Sample } from './load';
import { log } from './progress';
import { exactAnswers, measureRecall, type RecallFigure } from './recall';
import { startOriginBenchStack } from './stack';
import { summarize } from './stats';
import { benchProfiles, writePopularLists, writeProfiles } from './users';
import { buildVectorIndex, reuseVectorIndex } from './vector-index';
import { writeCatalog } from './write-catalog';

const K = 100;
const round1 = (x: number) => Math.round(x * 10) / 10;
const load3 = () => loadavg().map((x) => Math.round(x * 100) / 100);

/** Per-stage latency from the answers' `timings_ms`, and the p95 of each stage alone. */
export function stageStats(samples: readonly Sample[]) {
  const byStage = new Map<string, number[]>();
  for (const s of samples)
    for (const [stage, ms] of Object.entries(s.timings)) {
      if (typeof ms !== 'number') continue;
      const list = byStage.get(stage) ?? [];
      list.push(ms);
      byStage.set(stage, list);
    }
  const stages = Object.fromEntries([...byStage].map(([stage, ms]) => [stage, summarize(ms)]));
  const p95 = Object.fromEntries(Object.entries(stages).map(([stage, s]) => [stage, s.p95]));
  return { stages, p95 };
}

/** Runs the origin bench end to end and prints (and optionally writes) the final JSON line. */
export async function runOriginBench(args: OriginBenchArgs): Promise<Record<string, unknown>> {
  const started = performance.now();
  const phases: Record<string, number> = {};
  const phase = (name: string, since: number) => {
    phases[name] = round1((performance.now() - since) / 1000);
  };
  const loadBefore = load3();
  const dir = args.dataDir ?? (await mkdtemp(join(tmpdir(), 'attune-bench-origin-')));
  let t = performance.now();
  log(`generating ${args.items} items (${EMBEDDING_DIM}-d embeddings)`);
  const now = Date.UTC(2026, 10, 1);
  const items = generateCatalog({ items: args.items, now });
  const profiles = benchProfiles(items, Math.max(args.users, args.recallQueries), now);
  phase('generate', t);

  t = performance.now();
  const vectorDir = join(dir, 'vectors');
  const built = args.reuseIndex
    ? await reuseVectorIndex(items, EMBEDDING_DIM, vectorDir)
    : await buildVectorIndex(items, EMBEDDING_DIM, vectorDir, args);
  phase('index', t);
  t = performance.now();
  const exact = new FlatExactScan(built.matrix, EMBEDDING_DIM);
  const ids = items.map((i) => i.item_id);
  // Collaborative retrieval searches with user embeddings; item vectors (related items) are the
  // easy case: they sit on the data, while a user's taste often sits between two categories.
  const userQueries = profiles.slice(0, args.recallQueries).map((p) => p.embedding ?? []);
  const pick = seededRandom(2024);
  const itemQueries = Array.from(
    { length: args.recallQueries },
    () => (items[Math.floor(pick() * items.length)] as CatalogItem).embedding,
  );
  log(
    `recall@${K}: partitioned index loaded from ${vectorDir} against an exact scan, ${args.recallQueries} queries each`,
  );
  const userTruth = exactAnswers(exact, ids, userQueries, K);
  const itemTruth = exactAnswers(exact, ids, itemQueries, K);
  const efs = [...new Set([args.expansionSearch, ...args.efSweep])];
  const nprobes = [...new Set([args.nprobe, ...args.nprobeSweep])].sort((a, b) => a - b);
  const grid: RecallFigure[] = [];
  let loadS = 0;
  for (const ef of efs) {
    const m = await measureRecall(vectorDir, EMBEDDING_DIM, ef, nprobes, userQueries, userTruth, K);
    if (ef === args.expansionSearch) loadS = m.load_s;
    for (const r of m.figures) {
      grid.push(r);
      log(
        `  ef ${ef}, nprobe ${r.nprobe}: user-query recall@${K} ${r.recall} (worst query ${r.min}), ` +
          `search ms p50 ${r.p50_ms} p95 ${r.p95_ms} p99 ${r.p99_ms}`,
      );
    }
  }
  const at = (ef: number, nprobe: number) =>
    grid.find((r) => r.ef === ef && r.nprobe === nprobe) as RecallFigure;
  const recall = at(args.expansionSearch, args.nprobe);
  const itemRecall = (
    await measureRecall(
      vectorDir,
      EMBEDDING_DIM,
      args.expansionSearch,
      [args.nprobe],
      itemQueries,
      itemTruth,
      K,
    )
  ).figures[0] as RecallFigure;
  const byEf = Object.fromEntries(
    args.efSweep.map((ef) => {
      const r = at(ef, args.nprobe);
      return [String(ef), { recall: r.recall, min: r.min, search_ms: r.search_ms, p99_ms: r.p99_ms }];
    }),
  );
  phase('recall', t);
  log(
    `index recall@${K} at ef ${args.expansionSearch}, nprobe ${args.nprobe}: user queries ${recall.recall} ` +
      `(worst ${recall.min}), item queries ${itemRecall.recall}; search ms p50 ${recall.p50_ms} ` +
      `p95 ${recall.p95_ms} p99 ${recall.p99_ms}`,
  );

  const base = {
    items: args.items,
    index_recall_at_100: recall.recall,
    index_recall_at_100_min: recall.min,
    index_recall_at_100_item_queries: itemRecall.recall,
    index_recall_at_100_by_ef: byEf,
    index_recall_at_100_grid: grid,
    index: {
      ...built.report,
      expansion_search: args.expansionSearch,
      nprobe: args.nprobe,
      load_s: loadS,
      search_ms: recall.search_ms,
      search_ms_p50: recall.p50_ms,
      search_ms_p95: recall.p95_ms,
      search_ms_p99: recall.p99_ms,
      queries: args.recallQueries,
      dimensions: EMBEDDING_DIM,
    },
  };
  let result: Record<string, unknown>;
  if (args.indexOnly) {
    result = { ...base, index_only: true };
  } else {
    t = performance.now();
    const stack = await startOriginBenchStack();
    phase('stack', t);
    try {
      const catalog = new DynamoItemCatalog(stack.doc, stack.prefix);
      t = performance.now();
      const catalogWrite = await writeCatalog(catalog, items, args.writers);
      phase('catalog_write', t);
      t = performance.now();
      const lists = await writePopularLists(catalog, items);
      const userWrite = await writeProfiles(
        new DynamoUserStateStore(stack.doc, stack.prefix),
        profiles.slice(0, args.users),
        args.writers,
      );
      phase('users_write', t);
      log(`wrote ${lists} lists and ${args.users} user state rows`);

      const env = {
        ...process.env,
        ATTUNE_TABLE_PREFIX: stack.prefix,
        AWS_REGION: 'us-east-1',
        DYNAMODB_ENDPOINT: stack.dynamoEndpoint,
        SAGEMAKER_ENDPOINT_URL: stack.modelUrl,
        ATTUNE_VECTOR_DIR: vectorDir,
        // The bench's catalog is unit-norm, so cosine and inner product rank alike; the runtime
        // must serve with the metric the saved index was built with, or it refuses and rebuilds.
        VECTOR_METRIC: 'cos',
        VECTOR_NPROBE: String(args.nprobe),
        ITEM_STORE: args.itemStore,
      };
      // Until the runtime takes ATTUNE_VECTOR_DIR through its config, it may read process.env.
      Object.assign(process.env, env);
      t = performance.now();
      const runtime = createOriginRuntime(loadOriginConfig(env), NATIVE_ADAPTERS);
      // The store loads before the warm-up, as a container would before taking traffic; until
      // then it answers from DynamoDB, which is not what is measured.
      await runtime.items().ready();
      phase('item_store', t);
      const itemStoreRss = Math.round(process.memoryUsage().rss / 2 ** 20);
      log(
        `items hydrate from ${args.itemStore} (ready after ${phases.item_store} s, RSS ${itemStoreRss} MB)`,
      );
      t = performance.now();
      const app = recommendAppFor(runtime);
      const userIds = profiles.slice(0, args.users).map((p) => p.user_id);
      if (args.warmup > 0)
        await runLoad(app, {
          requests: args.warmup,
          concurrency: args.concurrency,
          userIds,
          label: 'warm-up',
          seed: 7,
        });
      phase('warmup', t);
      t = performance.now();
      // On two shared cores latency under load is concurrency / throughput: CPU per request, in
      // every process the funnel waits on, is what moves it.
      const cpuBefore = { origin: process.cpuUsage(), peers: stack.cpuMs() };
      const measured = await runLoad(app, {
        requests: args.requests,
        concurrency: args.concurrency,
        userIds,
        label: 'load',
      });
      phase('load', t);
      const originCpu = process.cpuUsage(cpuBefore.origin);
      const peersCpu = stack.cpuMs();
      const perRequest = (ms: number | undefined) =>
        ms === undefined ? undefined : round1(ms / measured.samples.length);
      const cpuPerRequest = {
        origin: perRequest((originCpu.user + originCpu.system) / 1000),
        dynamodb: perRequest(
          peersCpu.dynamodb === undefined || cpuBefore.peers.dynamodb === undefined
            ? undefined
            : peersCpu.dynamodb - cpuBefore.peers.dynamodb,
        ),
        model: perRequest(
          peersCpu.model === undefined || cpuBefore.peers.model === undefined
            ? undefined
            : peersCpu.model - cpuBefore.peers.model,
        ),
      };
      const ok = measured.samples.filter((s) => s.status === 200);
      const latency = summarize(ok.map((s) => s.ms));
      const stage = stageStats(ok);
      const levels: Record<string, number> = {};
      for (const s of ok)
        levels[String(s.fallbackLevel ?? 'none')] = (levels[String(s.fallbackLevel ?? 'none')] ?? 0) + 1;
      const retrieved = summarize(ok.flatMap((s) => (s.retrieved === undefined ? [] : [s.retrieved])));
      const peers = stack.peakRss();
      result = {
        ...base,
        requests: args.requests,
        concurrency: args.concurrency,
        p50_ms: latency.p50,
        p95_ms: latency.p95,
        p99_ms: latency.p99,
        mean_ms: latency.mean,
        max_ms: latency.max,
        rps: round1(measured.samples.length / measured.seconds),
        errors: measured.samples.length - ok.length,
        stage_p95_ms: stage.p95,
        cpu_ms_per_request: cpuPerRequest,
        stages_ms: stage.stages,
        candidates_retrieved_p50: retrieved.p50,
        fallback_levels: levels,
        users: args.users,
        warmup: args.warmup,
        catalog_write: { ...catalogWrite, dynamodb_rss_peak_mb: peers.dynamodb },
        users_write: userWrite,
        model_server_rss_peak_mb: peers.model,
        item_store: { kind: args.itemStore, ready_s: phases.item_store, rss_after_mb: itemStoreRss },
      };
    } finally {
      await stack.stop();
    }
  }
  if (!args.keepData && !args.dataDir) await rm(dir, { recursive: true, force: true });
  else log(`kept the vector index in ${vectorDir}`);
  result = {
    ...result,
    rss_peak_mb: Math.round(process.resourceUsage().maxRSS / 1024),
    phases_s: phases,
    elapsed_s: round1((performance.now() - started) / 1000),
    loadavg_before: loadBefore,
    loadavg_after: load3(),
    node: process.version,
  };
  if (args.out) await writeFile(args.out, `${JSON.stringify(result, null, 2)}\n`);
  console.log(JSON.stringify(result));
  return result;
}
