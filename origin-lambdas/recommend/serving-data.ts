import type { BetaPosterior } from '../../shared/scoring/slots';
import type { StoredSurfaceRules } from '../../shared/scoring/surface-rules';
import type { StoredCampaign } from '../admin/campaigns/store';
import {
  type ExperimentPages,
  listRunningExperiments,
  type RunningExperiment,
} from '../admin/experiments/running';
import { TtlCache } from '../common/ttl-cache';

/** What serving reads of the marketers' data and the bandit's posteriors. */
export interface ServingData {
  /** The surface's current rule set, or undefined when none was saved. */
  rules(surface: string): Promise<StoredSurfaceRules | undefined>;
  campaigns(): Promise<readonly StoredCampaign[]>;
  /** Beta posteriors (prior included) of bandit arms (`campaign:<id>`, `item:<id>`). */
  posteriors(armIds: readonly string[]): Promise<ReadonlyMap<string, ArmPosterior>>;
  /** Running experiments (their variants may override the surface rules). */
  experiments(): Promise<readonly RunningExperiment[]>;
}

/** A Beta posterior with the evidence behind it (caps count impressions). */
export interface ArmPosterior extends BetaPosterior {
  readonly impressions: number;
}

export interface ServingDataSources {
  readonly rules: { current(surface: string): Promise<{ rules: StoredSurfaceRules } | undefined> };
  readonly campaigns: { all(): Promise<StoredCampaign[]> };
  readonly posteriors: {
    posteriors(armIds: readonly string[], context: string): Promise<Map<string, ArmPosterior>>;
  };
  /** The experiments table; without it no experiment applies. */
  readonly experiments?: ExperimentPages;
}

export interface ServingDataOptions {
  /** How long rules and campaigns are reused: a marketer's change shows within this. @default 15000 */
  readonly configTtlMs?: number;
  /** How long a posterior is reused; the bandit moves slowly at this scale. @default 10000 */
  readonly posteriorTtlMs?: number;
  readonly now?: () => number;
}

/**
 * ServingData over the admin stores and the posterior reader, cached per container: rules and
 * campaigns change by human hands, posteriors by thousands of events, and neither justifies a
 * read on every request. A failed reload keeps the last good value serving.
 */
export class CachedServingData implements ServingData {
  private readonly config: TtlCache<unknown>;
  private readonly arms = new Map<string, { post: ArmPosterior; at: number }>();
  private readonly posteriorTtlMs: number;
  private readonly now: () => number;

  constructor(
    private readonly sources: ServingDataSources,
    opts: ServingDataOptions = {},
  ) {
    this.now = opts.now ?? Date.now;
    this.config = new TtlCache(opts.configTtlMs ?? 15_000, this.now);
    this.posteriorTtlMs = opts.posteriorTtlMs ?? 10_000;
  }

  /** Like rules and campaigns: one read per TTL per container, shared by concurrent requests. */
  async experiments(): Promise<readonly RunningExperiment[]> {
    const store = this.sources.experiments;
    if (!store) return [];
    return (await this.config.get('experiments', () => listRunningExperiments(store))) as RunningExperiment[];
  }

  async rules(surface: string): Promise<StoredSurfaceRules | undefined> {
    return (
      ((await this.config.get(
        `rules:${surface}`,
        async () => (await this.sources.rules.current(surface))?.rules ?? null,
      )) as StoredSurfaceRules | undefined) ?? undefined
    );
  }

  async campaigns(): Promise<readonly StoredCampaign[]> {
    return (await this.config.get('campaigns', () => this.sources.campaigns.all())) as StoredCampaign[];
  }

  async posteriors(armIds: readonly string[]): Promise<ReadonlyMap<string, ArmPosterior>> {
    const now = this.now();
    const stale = armIds.filter((id) => {
      const hit = this.arms.get(id);
      return !hit || now - hit.at > this.posteriorTtlMs;
    });
    if (stale.length) {
      try {
        // Bounded: item arms are as many as the catalog; a full map starts over rather than grow.
        if (this.arms.size > 200_000) this.arms.clear();
        for (const [id, p] of await this.sources.posteriors.posteriors(stale, '*'))
          this.arms.set(id, { post: { alpha: p.alpha, beta: p.beta, impressions: p.impressions }, at: now });
      } catch {
        // Unknown posteriors draw from the prior; stale ones keep serving.
      }
    }
    const out = new Map<string, ArmPosterior>();
    for (const id of armIds) {
      const hit = this.arms.get(id);
      if (hit) out.set(id, hit.post);
    }
    return out;
  }
}
