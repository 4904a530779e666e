import type { BucketingPlan } from './bucketing';
import type { Experiment } from './schemas';

/** What counting and serving need of a running experiment. */
export interface RunningExperiment extends BucketingPlan {
  readonly experiment_id: string;
  readonly surfaces: readonly string[];
  /** ISO time it started; events before it belong to no variant. */
  readonly started_at?: string;
  readonly variants: readonly {
    name: string;
    weight: number;
    ranking?: Readonly<Record<string, unknown>>;
    model_version?: string;
  }[];
}

/** Pages of the experiments table (ExperimentStore.list). */
export interface ExperimentPages {
  list(
    limit: number,
    start?: Record<string, unknown>,
  ): Promise<{ items: Experiment[]; last?: Record<string, unknown> }>;
}

/**
 * The running experiments (the posteriors stream handler counts their variants, serving applies
 * them), read at most once per `ttlMs` per container: experiments start and stop
 * by hand, a few times a week, while batches arrive many times a second. A failed read throws, so
 * the batch is retried rather than counted without its experiments.
 */
export function runningExperiments(
  store: ExperimentPages,
  ttlMs = 30_000,
  now: () => number = Date.now,
): () => Promise<readonly RunningExperiment[]> {
  let cached: { at: number; value: readonly RunningExperiment[] } | undefined;
  return async () => {
    if (cached && now() - cached.at < ttlMs) return cached.value;
    const value = await listRunningExperiments(store);
    cached = { at: now(), value };
    return value;
  };
}

/** Every running experiment, read now (all pages). Callers decide how to cache. */
export async function listRunningExperiments(store: ExperimentPages): Promise<readonly RunningExperiment[]> {
  const all: Experiment[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await store.list(100, start);
    all.push(...page.items);
    start = page.last;
  } while (start);
  return all
    .filter((x) => x.status === 'running')
    .map((x) => ({
      experiment_id: x.experiment_id,
      salt: x.salt,
      traffic: x.traffic,
      variants: x.variants,
      surfaces: x.surfaces,
      ...(x.started_at ? { started_at: x.started_at } : {}),
    }));
}
