import { type BetaPosterior, probabilityBest, summarize } from './beta';
import { clicksOf, type PosteriorRow, posteriorOf } from './posteriors';

/** One arm (a campaign) with its prior and every context bucket recorded for it. */
export interface ArmData {
  readonly armId: string;
  readonly prior: BetaPosterior;
  readonly rows: readonly PosteriorRow[];
}

const ratio = (n: number, d: number) => (d > 0 ? n / d : 0);

/**
 * Per context bucket of `target`: counts, CTR, conversion rate, the Beta posterior's mean and
 * 95% credible interval, and the probability that `target` is the best of the arms recorded
 * in the same bucket (its competitors on the same surfaces).
 */
export function campaignStats(target: ArmData, competitors: readonly ArmData[], seed = 12345) {
  return [...target.rows]
    .sort((a, b) => (a.context < b.context ? -1 : 1))
    .map((row) => {
      const posterior = posteriorOf(row, target.prior);
      const rivals = competitors
        .map((c) => ({ c, row: c.rows.find((r) => r.context === row.context) }))
        .filter((x): x is { c: ArmData; row: PosteriorRow } => x.row !== undefined);
      const arms = [posterior, ...rivals.map((x) => posteriorOf(x.row, x.c.prior))];
      const impressions = row.impressions ?? 0;
      const clicks = clicksOf(row);
      const conversions = row.conversions ?? 0;
      return {
        arm_id: target.armId,
        context: row.context,
        impressions,
        clicks,
        conversions,
        ctr: ratio(clicks, impressions),
        conversion_rate: ratio(conversions, clicks),
        posterior: { alpha: posterior.alpha, beta: posterior.beta, ...summarize(posterior) },
        competitors: rivals.length,
        probability_best: probabilityBest(arms, 20_000, seed)[0] as number,
      };
    });
}
