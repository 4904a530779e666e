import { ctrDifference, probabilityBest, summarize } from '../stats/beta';
import { clicksOf, type PosteriorRow } from '../stats/posteriors';
import type { Experiment } from './schemas';

/** The uniform prior the results use: every CTR equally likely before data. */
const PRIOR = { alpha: 1, beta: 1 };

/**
 * Per variant: impressions, clicks, CTR, Beta posterior (mean, 95% credible interval), the
 * CTR difference to control with a 95% interval, and the probability of being best; plus each
 * guardrail's verdict per treatment variant.
 */
export function experimentResults(
  e: Pick<Experiment, 'variants' | 'control' | 'guardrails'>,
  rows: Map<string, PosteriorRow>,
  seed = 12345,
) {
  const counts = e.variants.map((v) => {
    const row = rows.get(v.name);
    const impressions = row?.impressions ?? 0;
    return { name: v.name, impressions, clicks: clicksOf(row) };
  });
  const control = counts.find((c) => c.name === e.control) ?? counts[0];
  const posteriors = counts.map((c) => ({
    alpha: PRIOR.alpha + c.clicks,
    beta: PRIOR.beta + c.impressions - c.clicks,
  }));
  const pBest = probabilityBest(posteriors, 20_000, seed);
  const variants = counts.map((c, i) => {
    const post = posteriors[i] as { alpha: number; beta: number };
    const diff = control && c.name !== control.name ? ctrDifference(c, control) : undefined;
    return {
      variant: c.name,
      impressions: c.impressions,
      clicks: c.clicks,
      ctr: c.impressions ? c.clicks / c.impressions : 0,
      posterior: { ...post, ...summarize(post) },
      ...(diff?.defined
        ? { difference: { vs: control?.name as string, ctr: diff.difference, interval: diff.interval } }
        : {}),
      probability_best: pBest[i] as number,
    };
  });
  const controlCtr = control?.impressions ? control.clicks / control.impressions : 0;
  const guardrails = e.guardrails.flatMap((g) =>
    variants
      .filter((v) => v.variant !== control?.name)
      .map((v) => {
        const drop = controlCtr > 0 ? (controlCtr - v.ctr) / controlCtr : 0;
        return {
          metric: g.metric,
          variant: v.variant,
          relative_drop: drop,
          breached: drop > g.max_relative_drop,
        };
      }),
  );
  return { control: control?.name ?? e.control, variants, guardrails };
}
