import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { startModelServer } from '../../local/model-server';
import { generateCatalog } from '../../local/seed/catalog';
import { DynamoItemCatalog } from '../../origin-lambdas/adapters/dynamodb-item-catalog';
import { DynamoUserStateStore } from '../../origin-lambdas/adapters/dynamodb-user-state-store';
import { encodeVector } from '../../origin-lambdas/adapters/vector-codec';
import { CampaignStore, type StoredCampaign } from '../../origin-lambdas/admin/campaigns/store';
import { ruleSetSchema } from '../../origin-lambdas/admin/rules/schemas';
import { RuleStore } from '../../origin-lambdas/admin/rules/store';
import { createDocumentClient } from '../../origin-lambdas/common/aws-clients';
import { loadOriginConfig } from '../../origin-lambdas/common/config';
import { NATIVE_ADAPTERS } from '../../origin-lambdas/common/native-adapters';
import { createOriginRuntime } from '../../origin-lambdas/common/runtime';
import { recommendAppFor } from '../../origin-lambdas/recommend/wire';
import { LIST_IDS } from '../../shared/lists';
import type { CatalogItem } from '../../shared/ports/item-catalog';
import type { RecommendationResponse } from '../../shared/schemas/recommendation';
import { tableName } from '../../shared/tables';
import { bucketOf } from '../../stream-handlers/common/time-bucket';
import { TRENDING } from '../../stream-handlers/trending/counts';
import { EMBEDDING_VERSION, type UserProfile } from '../../stream-handlers/user-state/profile';
import { encodeProfile } from '../../stream-handlers/user-state/profile-codec';
import { startTestDynamo, type TestDynamo } from './standins';

/** The origin over real stand-ins: DynamoDB Local, the model server, the embedded index. */
export interface OriginStack {
  readonly dynamo: TestDynamo;
  readonly model: Awaited<ReturnType<typeof startModelServer>>;
  readonly modelDir: string;
  readonly items: CatalogItem[];
  readonly doc: ReturnType<typeof createDocumentClient>;
  readonly catalog: DynamoItemCatalog;
  /** A fresh runtime (empty container caches) and its app, as a cold Lambda would have. */
  app(env?: Record<string, string>): ReturnType<typeof recommendAppFor>;
  /** `app`, once its item lookup is loaded (ITEM_STORE=memory then hydrates from its store). */
  readyApp(env?: Record<string, string>): Promise<ReturnType<typeof recommendAppFor>>;
  stop(): Promise<void>;
}

/** GET helper: status, headers and the parsed body. */
export async function getRecs(app: ReturnType<typeof recommendAppFor>, query: string) {
  const res = await app.request(`/v1/recommendations?${query}`);
  return {
    status: res.status,
    headers: res.headers,
    body: (await res.json()) as RecommendationResponse & Record<string, unknown>,
  };
}

/** Starts the stand-ins, writes `count` demo items and the popular lists the ladder reads. */
export async function startOriginStack(name: string, count = 360): Promise<OriginStack> {
  const modelDir = mkdtempSync(join(tmpdir(), `attune-${name}-model-`));
  const [dynamo, model] = await Promise.all([
    startTestDynamo(name),
    startModelServer({ port: 0, modelDir, watch: false }),
  ]);
  const doc = createDocumentClient({ endpoint: dynamo.standIn.endpoint });
  const catalog = new DynamoItemCatalog(doc, dynamo.prefix);
  const items = generateCatalog({ items: count });
  await catalog.putItems(items);
  const byPop = [...items].sort((a, b) => b.popularity - a.popularity).map((i) => i.item_id);
  const updated_at = new Date().toISOString();
  await catalog.putList({ list_id: LIST_IDS.globalPopular, item_ids: byPop, updated_at });
  const runtime = (env: Record<string, string>) =>
    createOriginRuntime(
      loadOriginConfig({
        ATTUNE_TABLE_PREFIX: dynamo.prefix,
        DYNAMODB_ENDPOINT: dynamo.standIn.endpoint,
        SAGEMAKER_ENDPOINT_URL: model.url,
        MODEL_TIMEOUT_MS: '1000',
        DYNAMODB_TIMEOUT_MS: '1000',
        RETRIEVAL_TIMEOUT_MS: '1000',
        AWS_ACCESS_KEY_ID: 'local',
        ...env,
      }),
      NATIVE_ADAPTERS,
    );
  return {
    dynamo,
    model,
    modelDir,
    items,
    doc,
    catalog,
    app: (env = {}) => recommendAppFor(runtime(env)),
    async readyApp(env = {}) {
      const rt = runtime(env);
      await rt.items().ready();
      return recommendAppFor(rt);
    },
    async stop() {
      await Promise.all([dynamo.stop(), model.close().catch(() => undefined)]);
      rmSync(modelDir, { recursive: true, force: true });
    },
  };
}

/** The unit-length mean of `vectors`: a taste embedding pointing at what they share. */
export function unitMean(vectors: readonly (readonly number[])[]): number[] {
  const dim = vectors[0]?.length ?? 0;
  const sum = Array.from({ length: dim }, (_, d) => vectors.reduce((acc, v) => acc + (v[d] ?? 0), 0));
  const norm = Math.hypot(...sum) || 1;
  return sum.map((x) => x / norm);
}

/** What a test says about a user's `state` row; the rest is filled as the stream handler would. */
export interface UserStateSeed {
  readonly eventCount: number;
  /** Most recent first. */
  readonly recentItems?: readonly string[];
  /** Unit taste embedding; written with EMBEDDING_VERSION. */
  readonly embedding?: readonly number[];
  /** Raw decayed affinity scores per category. */
  readonly affinities?: Readonly<Record<string, number>>;
}

/** Writes (replaces) a user's `state` row through the real store, encoded as the handler does. */
export async function writeUserState(stack: OriginStack, userId: string, seed: UserStateSeed): Promise<void> {
  const store = new DynamoUserStateStore(stack.doc, stack.dynamo.prefix);
  const before = (await store.getUser(userId))?.version ?? 0;
  const now = Date.now();
  const profile: UserProfile = {
    user_id: userId,
    event_count: seed.eventCount,
    recent_items: [...(seed.recentItems ?? [])],
    version: before + 1,
    updated_at: new Date(now).toISOString(),
    ...(seed.embedding ? { embedding: seed.embedding, embedding_version: EMBEDDING_VERSION } : {}),
    ...(seed.affinities ? { affinities: { scores: seed.affinities, at: now } } : {}),
  };
  if (!(await store.putIfVersion(encodeProfile(profile), before)))
    throw new Error(`state of ${userId} changed while the test wrote it`);
}

/** The `prefs` row of a user's partition, as the admin and consent flows write it. */
export interface PrefsSeed {
  readonly blocked_items?: readonly string[];
  readonly blocked_categories?: readonly string[];
  readonly segments?: readonly string[];
  readonly onboarding_categories?: readonly string[];
  readonly age?: number;
  readonly country?: string;
  readonly opted_out?: boolean;
}

/** Writes (replaces) a user's `prefs` row. */
export async function writePrefs(stack: OriginStack, userId: string, prefs: PrefsSeed): Promise<void> {
  await stack.doc.send(
    new PutCommand({
      TableName: tableName(stack.dynamo.prefix, 'users'),
      Item: { user_id: userId, facet: 'prefs', ...prefs },
    }),
  );
}

/**
 * Appends the next rule version for `surface` through the RuleStore, after the admin schema's
 * defaults and checks. Serving caches rules per container: use a fresh `stack.app()` after.
 */
export async function writeRules(
  stack: OriginStack,
  surface: string,
  rules: Record<string, unknown>,
): Promise<number> {
  const store = new RuleStore(stack.doc, stack.dynamo.prefix);
  const version = ((await store.current(surface))?.version ?? 0) + 1;
  await store.append({
    surface,
    version,
    rules: ruleSetSchema.parse(rules),
    created_at: new Date().toISOString(),
    created_by: 'test',
  });
  return version;
}

/** A campaign as the admin API would store it: active now, untargeted, on `surfaces`. */
export function campaignFor(
  campaignId: string,
  surfaces: StoredCampaign['surfaces'],
  itemIds: readonly string[],
  extra: Partial<StoredCampaign> = {},
): StoredCampaign {
  const at = new Date().toISOString();
  return {
    campaign_id: campaignId,
    name: `campaign ${campaignId}`,
    status: 'scheduled',
    surfaces,
    schedule: { time_zone: 'UTC', daily_windows: [] },
    targeting: {
      segments: [],
      category_affinities: [],
      min_affinity: 0.1,
      countries: [],
      devices: [],
      audience: 'all',
    },
    creative: { title: `Creative ${campaignId}`, body: '', item_ids: [...itemIds] },
    priority: 100,
    caps: {},
    bandit: { prior_alpha: 1, prior_beta: 1, exploration_share: 0.1 },
    version: 1,
    created_at: at,
    updated_at: at,
    embedding: encodeVector(new Array(32).fill(0)),
    embedding_dimensions: 32,
    embedding_space: 'test',
    ...extra,
  };
}

/** Creates the campaign, or replaces the stored one with the same id (version + 1). */
export async function writeCampaign(stack: OriginStack, c: StoredCampaign): Promise<void> {
  const store = new CampaignStore(stack.doc, stack.dynamo.prefix);
  const before = await store.get(c.campaign_id);
  if (before) await store.replace({ ...c, version: before.version + 1 }, before.version);
  else await store.create(c);
}

/**
 * Writes the current trending bucket as the trending handler would: `itemIds` interacted with in
 * `category`, each with `score`, and the category marked active in the global row.
 */
export async function writeTrending(
  stack: OriginStack,
  category: string,
  itemIds: readonly string[],
  score = 10,
): Promise<void> {
  const table = tableName(stack.dynamo.prefix, 'trending');
  const bucket = bucketOf(Date.now(), TRENDING.bucketMs);
  const row: Record<string, unknown> = {
    scope: TRENDING.categoryScope(category),
    bucket,
    events: itemIds.length,
  };
  for (const id of itemIds) {
    row[`s:${id}`] = score;
    row[`n:${id}`] = 1;
  }
  await stack.doc.send(new PutCommand({ TableName: table, Item: row }));
  await stack.doc.send(
    new PutCommand({
      TableName: table,
      Item: {
        scope: TRENDING.globalScope,
        bucket,
        events: itemIds.length,
        [`k:${category}`]: itemIds.length,
      },
    }),
  );
}
