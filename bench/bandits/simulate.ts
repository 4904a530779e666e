import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { progressBar } from '../../local/training/progress';
import { htmlPage, htmlTable, lineChart } from '../eval/svg';
import { DriftingContextualArms } from './environment';
import { betaThompsonPolicy, epsilonGreedyPolicy, linearThompsonPolicy, uniformPolicy } from './policies';
import { averageRuns, simulate } from './run-simulation';

// npm run simulate -- [--rounds 100000] [--repeats 5] [--out bandits-report.html] [--seed 1]
const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '100000' },
    out: { type: 'string', default: 'bandits-report.html' },
    seed: { type: 'string', default: '1' },
    repeats: { type: 'string', default: '5' },
    discount: { type: 'string', default: '0.9999' },
    period: { type: 'string', default: '200000' },
    drift: { type: 'string', default: '0.03' },
  },
});
const rounds = Number(values.rounds);
const discount = Number(values.discount);
const repeats = Number(values.repeats);
const seed0 = Number(values.seed);
// Each repeat draws a new environment (base rates, drift phases) and new randomness; curves are averaged.
const runs = Array.from({ length: repeats }, (_, r) => {
  const env = new DriftingContextualArms({
    seed: seed0 * 100 + r,
    period: Number(values.period),
    drift: Number(values.drift),
  });
  const policies = [
    betaThompsonPolicy(env.arms, discount),
    linearThompsonPolicy(env.arms, env.contexts + 1, discount),
    epsilonGreedyPolicy(env.arms, 0.1, 1),
    epsilonGreedyPolicy(env.arms, 0.1, discount),
    uniformPolicy(env.arms),
  ];
  return { env, policies };
});
const bar = progressBar('simulate', repeats);
const results = runs.map(({ env, policies }, r) => {
  const out = simulate(env, policies, { rounds, seed: seed0 * 100 + r });
  bar.tick(r + 1);
  return out;
});
bar.finish(`${repeats} x ${rounds} rounds`);
const env = runs[0]?.env as DriftingContextualArms;
const result = averageRuns(results);
const final = (i: number) => result.curves[i]?.regret.at(-1) ?? 0;
const summary = {
  rounds,
  ts_regret: Math.round(final(0)),
  lints_regret: Math.round(final(1)),
  egreedy_regret: Math.round(final(2)),
  egreedy_discounted_regret: Math.round(final(3)),
  uniform_regret: Math.round(final(4)),
  ts_over_egreedy: ratio(final(0), final(2)),
  lints_over_egreedy: ratio(final(1), final(2)),
  ts_over_egreedy_discounted: ratio(final(0), final(3)),
};
function ratio(a: number, b: number): number {
  return Math.round((a / b) * 1000) / 1000;
}
const html = htmlPage('Attune bandit simulation', [
  {
    heading: 'Command',
    html: `<pre>npm run simulate -- ${process.argv.slice(2).join(' ')}</pre><p>Mean of ${repeats} runs, each with its own environment. ${env.arms} arms, ${env.contexts} context buckets, click rates drifting sinusoidally (period ${values.period} rounds, amplitude ${values.drift}); evidence discount ${discount}.</p>`,
  },
  {
    heading: 'Cumulative regret',
    html: lineChart(
      'Cumulative expected regret',
      result.rounds,
      result.curves.map((c) => ({ name: c.name, values: c.regret })),
    ),
  },
  {
    heading: 'Final',
    html: htmlTable([
      ['policy', 'regret', 'clicks'],
      ...result.curves.map((c) => [c.name, c.regret.at(-1) ?? 0, c.clicks]),
    ]),
  },
]);
await mkdir(dirname(values.out), { recursive: true });
await writeFile(values.out, html);
process.stderr.write(`simulate: report written to ${values.out}\n`);
process.stdout.write(`${JSON.stringify(summary)}\n`);
