import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { DynamoItemCatalog } from '../../origin-lambdas/adapters/dynamodb-item-catalog';
import {
  createDocumentClient,
  createDynamoClient,
  createKinesisClient,
} from '../../origin-lambdas/common/aws-clients';
import { streamName } from '../../shared/tables';
import type { LocalConfig } from '../config';
import { httpAnswers, waitFor } from '../net/wait-for';
import { seedIfEmpty } from '../seed/seed';
import { startDynamoDbLocal } from '../standins/dynamodb-local';
import { startKinesalite } from '../standins/kinesalite';
import { type GroupChild, spawnGroup } from '../standins/process-group';
import { ensureStream, ensureTables } from '../standins/tables';
import { STREAM_FUNCTIONS } from '../stream-runner/function-names';
import { prefixed } from './log';
import { REPO_ROOT, spawnTsService, waitForLine } from './node-service';
import { PidFile } from './pidfile';
import { assertPortsFree } from './ports';

export interface StackUrls {
  edge: string;
  origin: string;
  admin: string;
  model: string;
  dynamodb: string;
  kinesis: string;
}

export interface RunningStack {
  readonly urls: StackUrls;
  readonly pgids: readonly number[];
  stop(): Promise<void>;
}

export interface StartStackOptions {
  readonly reset?: boolean;
  readonly log?: (line: string) => void;
}

/**
 * Starts the whole local platform in dependency order: DynamoDB Local and kinesalite, tables and
 * stream, the model server, the origin and admin apps, the stream runner, the seed data, the list
 * job runner, and the edge Worker in workerd. Every child leads its own process group; `stop()` ends them all.
 */
export async function startStack(config: LocalConfig, opts: StartStackOptions = {}): Promise<RunningStack> {
  const say = opts.log ?? prefixed('attune', 0);
  const dataDir = resolve(REPO_ROOT, config.ATTUNE_DATA_DIR);
  const kvDir = join(dataDir, 'wrangler');
  const pidFile = new PidFile(join(dataDir, 'pids.json'));
  pidFile.reapStale(say);
  if (opts.reset) {
    say(`--reset: removing ${dataDir}`);
    rmSync(dataDir, { recursive: true, force: true });
  }
  for (const d of ['dynamodb', 'kinesis', 'models', 'checkpoints', 'dead-letters'])
    mkdirSync(join(dataDir, d), { recursive: true });
  await assertPortsFree(config);

  const children: GroupChild[] = [];
  const track = (c: GroupChild, marker: string) => {
    children.push(c);
    pidFile.add({ name: c.name, pgid: c.pid, marker });
    c.child.once('exit', (code, signal) => {
      if (!stopping) say(`${c.name} exited unexpectedly (code ${code}, signal ${signal})`);
    });
    return c;
  };
  let stopping = false;
  const stop = async () => {
    stopping = true;
    for (const c of [...children].reverse()) await c.stop();
    pidFile.clear();
  };

  try {
    const host = '127.0.0.1';
    const urls: StackUrls = {
      edge: `http://${host}:${config.ATTUNE_EDGE_PORT}`,
      origin: `http://${host}:${config.ATTUNE_ORIGIN_PORT}`,
      admin: `http://${host}:${config.ATTUNE_ADMIN_PORT}`,
      model: `http://${host}:${config.ATTUNE_MODEL_PORT}`,
      dynamodb: `http://${host}:${config.ATTUNE_DYNAMODB_PORT}`,
      kinesis: `http://${host}:${config.ATTUNE_KINESIS_PORT}`,
    };
    say('starting DynamoDB Local and kinesalite');
    const [dynamo, kinesis] = await Promise.all([
      startDynamoDbLocal({
        port: config.ATTUNE_DYNAMODB_PORT,
        dataDir: join(dataDir, 'dynamodb'),
        onLine: prefixed('dynamodb', 1),
      }),
      startKinesalite({
        port: config.ATTUNE_KINESIS_PORT,
        dataDir: join(dataDir, 'kinesis'),
        onLine: prefixed('kinesis', 2),
      }),
    ]);
    track(dynamo.process, 'DynamoDBLocal');
    track(kinesis.process, 'kinesalite-server');
    const stream = streamName(config.ATTUNE_TABLE_PREFIX);
    const ddb = createDynamoClient({ endpoint: urls.dynamodb });
    const kin = createKinesisClient({ endpoint: urls.kinesis });
    const { created } = await ensureTables(ddb, config.ATTUNE_TABLE_PREFIX);
    await ensureStream(kin, stream, config.ATTUNE_SHARDS);
    ddb.destroy();
    kin.destroy();
    say(`tables ready (${created.length} created), stream ${stream} ready`);

    const model = track(
      spawnTsService(
        'model',
        'local/model-server/main.ts',
        ['--port', String(config.ATTUNE_MODEL_PORT), '--model-dir', join(dataDir, 'models')],
        {},
        prefixed('model', 3),
      ),
      'model-server',
    );
    // The admin's deletion cascade purges the edge's cached lists through an internal route;
    // a fresh secret per run keeps that route closed to anything else on the machine.
    const internalSecret = randomBytes(24).toString('hex');
    const originEnv = {
      ATTUNE_EDGE_URL: urls.edge,
      ATTUNE_INTERNAL_SECRET: internalSecret,
      ATTUNE_TABLE_PREFIX: config.ATTUNE_TABLE_PREFIX,
      AWS_REGION: 'us-east-1',
      AWS_EC2_METADATA_DISABLED: 'true',
      EVENT_STREAM_NAME: stream,
      DYNAMODB_ENDPOINT: urls.dynamodb,
      KINESIS_ENDPOINT: urls.kinesis,
      SAGEMAKER_ENDPOINT_URL: urls.model,
      // The model server's registry: the origin scores in-process from it when the server fails.
      FALLBACK_MODEL_PATH: join(dataDir, 'models'),
      ORIGIN_PORT: String(config.ATTUNE_ORIGIN_PORT),
      ADMIN_PORT: String(config.ATTUNE_ADMIN_PORT),
      ATTUNE_DATA_DIR: dataDir,
      STREAM_POLL_MS: String(config.ATTUNE_POLL_MS),
      POWERTOOLS_DEV: 'true',
      POWERTOOLS_LOG_LEVEL: 'WARN',
      POWERTOOLS_METRICS_DISABLED: 'true',
    };
    const origin = track(
      spawnTsService('origin', 'local/origin/main.ts', [], originEnv, prefixed('origin', 4)),
      'local/origin/main.ts',
    );
    const runner = track(
      spawnTsService('stream', 'local/stream-runner/main.ts', [], originEnv, prefixed('stream', 5)),
      'local/stream-runner/main.ts',
    );
    await Promise.all([
      waitFor('model server', () => httpAnswers(`${urls.model}/ping`)),
      waitFor('origin', () => httpAnswers(`${urls.origin}/health`)),
      waitFor('admin', () => httpAnswers(`${urls.admin}/admin/health`)),
      waitForLine(runner, /stream runner polling/),
    ]);
    void model;
    void origin;
    // wrangler dev (bundling, workerd) takes 8 to 15 s to answer: start it now, beside the seed,
    // the lists and the warm-up, and wait for it last. Nobody calls the edge before ready.
    const edge = track(startWorker(config, urls, kvDir, internalSecret), 'wrangler');

    const doc = createDocumentClient({ endpoint: urls.dynamodb });
    const seed = await seedIfEmpty({
      catalog: new DynamoItemCatalog(doc, config.ATTUNE_TABLE_PREFIX),
      originUrl: urls.origin,
      items: config.ATTUNE_SEED_ITEMS,
      users: config.ATTUNE_SEED_USERS,
      log: say,
    });
    doc.destroy();
    if (seed.seeded) {
      // The seed's events keep the stream handlers and DynamoDB Local busy for several seconds;
      // answers measured during that backlog say nothing about the first visitor's.
      say('waiting for the stream handlers to apply the seed events');
      await Promise.all(
        STREAM_FUNCTIONS.map((fn) => waitForLine(runner, new RegExp(`\\[${fn}\\] caught up`), 60_000)),
      ).catch(() => say('stream handlers still busy after 60 s; going on'));
    }
    say(
      seed.seeded
        ? `seeded ${seed.items} items and ${seed.events} events`
        : 'existing data kept (use --reset to start clean)',
    );
    // After the seed: the seed's own popular list marks a complete seed, so the job must not write first.
    const lists = track(
      spawnTsService('lists', 'local/lists-runner.ts', [], originEnv, prefixed('lists', 7)),
      'local/lists-runner.ts',
    );
    await waitForLine(lists, /lists (refreshed|refresh failed)/);

    await warmOrigin(urls.origin);

    await waitFor('edge worker', () => httpAnswers(`${urls.edge}/health`), {
      timeoutMs: 90_000,
      intervalMs: 300,
      giveUp: () => (edge.exited() ? 'wrangler dev exited; see the [worker] lines above' : undefined),
    });
    await warmEdge(urls.edge);
    return { urls, pgids: children.map((c) => c.pid), stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** `wrangler dev` (workerd with local KV) pointed at the local origin. */
function startWorker(
  config: LocalConfig,
  urls: StackUrls,
  kvDir: string,
  internalSecret: string,
): GroupChild {
  const require = createRequire(import.meta.url);
  const wrangler = join(dirname(require.resolve('wrangler/package.json')), 'bin', 'wrangler.js');
  // The worker's lines are tagged [worker], not [edge]: only the ready line may pair "edge" with a URL.
  return spawnGroup(
    'worker',
    process.execPath,
    [
      wrangler,
      'dev',
      '--ip',
      '127.0.0.1',
      '--port',
      String(config.ATTUNE_EDGE_PORT),
      '--persist-to',
      kvDir,
      '--var',
      `ORIGIN_URL:${urls.origin}`,
      '--var',
      `ATTUNE_INTERNAL_SECRET:${internalSecret}`,
      '--log-level',
      'warn',
      '--show-interactive-dev-session=false',
    ],
    {
      cwd: REPO_ROOT,
      env: {
        ...process.env,
        WRANGLER_SEND_METRICS: 'false',
        CLOUDFLARE_CF_FETCH_ENABLED: 'false',
        NO_COLOR: '1',
        CI: '1',
      },
      onLine: prefixed('worker', 6),
    },
  );
}

/**
 * A cold origin (first module loads, JIT, the embedded index still building, the popular list not
 * yet cached, first SDK connections) takes longer than the edge's origin budget. The supervisor
 * asks the origin what the edge will ask (a known user and newcomers, `candidates=1`) until each
 * kind answers at full quality within the budget three times in a row, for at most 30 s, so the
 * first visitor gets a personalized answer instead of the edge's fallback list. One fast answer
 * was not enough: the next request could still miss the budget while DynamoDB Local warmed up.
 */
async function warmOrigin(origin: string): Promise<void> {
  const budgetMs = 200;
  const inARow = 3;
  const deadline = Date.now() + 30_000;
  let n = 0;
  for (const who of [() => 'user_id=user-0001', () => `user_id=warm-up-newcomer-${n++}`]) {
    let fast = 0;
    while (fast < inARow && Date.now() < deadline) {
      const url = `${origin}/v1/recommendations?${who()}&surface=home&limit=50&candidates=1`;
      const started = performance.now();
      try {
        const res = await fetch(url);
        const body = (await res.json()) as { fallback_level?: number };
        const ok = res.ok && body.fallback_level === 0 && performance.now() - started < budgetMs;
        fast = ok ? fast + 1 : 0;
        if (ok) continue;
      } catch {
        // Warm-up is best effort; health checks already proved the origin answers.
        fast = 0;
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

/**
 * One request of each kind through the edge itself: its isolate compiles the scoring code and
 * takes its first bandit snapshot here rather than on a visitor's request. Best effort.
 */
async function warmEdge(edge: string): Promise<void> {
  for (const who of ['user_id=user-0001', 'user_id=warm-up-edge-newcomer']) {
    try {
      const res = await fetch(`${edge}/v1/recommendations?${who}&surface=home&limit=10`, {
        signal: AbortSignal.timeout(3000),
      });
      await res.arrayBuffer();
    } catch {
      // The edge answered its health check; a slow first page is not a start-up failure.
    }
  }
}
