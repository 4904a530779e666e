import { byActivity } from './buckets';
import type { EvalReport } from './run-eval';
import { barChart, htmlPage, htmlTable } from './svg';

const LABELS: Record<string, string> = {
  popularity: 'Popularity',
  itemknn: 'Item-kNN (cosine)',
  attune_retrieval: 'Attune retrieval only',
  attune: 'Attune pipeline (in process)',
  attune_inprocess: 'Attune pipeline (in process)',
};

/** In the stack mode `attune` is the origin's answer. */
const STACK_LABELS: Record<string, string> = {
  ...LABELS,
  attune: 'Attune as served, diversity off',
  attune_diversity_on: 'Attune as served, default rules',
};

const labelsOf = (r: EvalReport) => (r.stack ? STACK_LABELS : LABELS);

/** The headline numbers: one flat JSON object, printed as the final line on stdout. */
export function summaryLine(r: EvalReport): Record<string, number | string> {
  const m = r.methods;
  const a = m.attune;
  const p = m.popularity;
  const knn = m.itemknn;
  if (!a || !p || !knn) throw new Error('report is missing a method');
  return {
    ndcg10: round(a.ndcg10),
    recall10: round(a.recall10),
    hr10: round(a.hr10),
    coverage: round(a.coverage),
    novelty: round(a.novelty),
    popularity_ndcg10: round(p.ndcg10),
    itemknn_ndcg10: round(knn.ndcg10),
    retrieval_ndcg10: round(m.attune_retrieval?.ndcg10 ?? 0),
    lift_ndcg10: round(a.ndcg10 / p.ndcg10),
    seq_frozen_hr10: round(r.sequential.frozen.hr10),
    seq_streaming_hr10: round(r.sequential.streaming.hr10),
    seq_frozen_ndcg10: round(r.sequential.frozen.ndcg10),
    seq_streaming_ndcg10: round(r.sequential.streaming.ndcg10),
    users: a.users,
    ...(r.stack
      ? {
          ndcg10_diversity_off: round(a.ndcg10),
          ndcg10_diversity_on: round(m.attune_diversity_on?.ndcg10 ?? 0),
          hr10_diversity_on: round(m.attune_diversity_on?.hr10 ?? 0),
          inprocess_ndcg10: round(m.attune_inprocess?.ndcg10 ?? 0),
          seq_steps: r.sequential.steps,
          elapsed_s: Number(r.stack.elapsed_s ?? 0),
          via: 'stack',
        }
      : {}),
  };
}

const round = (x: number) => Math.round(x * 1e4) / 1e4;

/** The HTML report: metrics by method, NDCG by user-activity bucket, frozen vs streaming. */
export function renderReport(r: EvalReport, command: string): string {
  const names = Object.keys(r.methods);
  const LABEL = labelsOf(r);
  const labels = names.map((n) => LABEL[n] ?? n);
  const metric = (key: 'ndcg10' | 'recall10' | 'hr10') => names.map((n) => r.methods[n]?.[key] ?? 0);
  const buckets = names.map((n) => ({ n, b: byActivity(r.methods[n] as never) }));
  const bucketLabels = buckets[0]?.b.map((x) => `${x.label} (${x.users} users)`) ?? [];
  const table = htmlTable([
    ['method', 'NDCG@10', 'Recall@10', 'HR@10', 'coverage', 'novelty'],
    ...names.map((n, i) => {
      const m = r.methods[n] as EvalReport['methods'][string];
      return [labels[i] as string, m.ndcg10, m.recall10, m.hr10, m.coverage, m.novelty];
    }),
  ]);
  const s = r.sequential;
  return htmlPage('Attune offline evaluation', [
    {
      heading: 'Command',
      html: `<pre>${command.replace(/</g, '&lt;')}</pre><p>${r.data.users} users, ${r.data.items} items, ${r.data.train} training interactions, ${r.data.evaluatedUsers} evaluated users.</p>`,
    },
    { heading: 'Top-N protocol', html: table },
    {
      heading: 'Metric by method',
      html: barChart(
        'Top-N metrics at 10',
        ['NDCG@10', 'Recall@10', 'HR@10'],
        names.map((_, i) => ({
          name: labels[i] as string,
          values: [metric('ndcg10')[i] ?? 0, metric('recall10')[i] ?? 0, metric('hr10')[i] ?? 0],
        })),
      ),
    },
    {
      heading: 'NDCG@10 by user activity (training interactions)',
      html: barChart(
        'NDCG@10 by activity bucket',
        bucketLabels,
        buckets.map(({ n, b }) => ({ name: LABEL[n] ?? n, values: b.map((x) => x.ndcg10) })),
      ),
    },
    {
      heading: 'Sequential protocol: frozen vs streaming',
      html: `${barChart(
        'Next-item metrics at 10',
        ['HR@10', 'NDCG@10'],
        [
          { name: 'Frozen at end of training', values: [s.frozen.hr10, s.frozen.ndcg10] },
          { name: 'Streaming updates', values: [s.streaming.hr10, s.streaming.ndcg10] },
        ],
      )}<p>${s.steps} steps over ${s.users} users.</p>`,
    },
    { heading: 'Ranker', html: `<pre>${JSON.stringify(r.ranker, null, 2)}</pre>` },
    ...(r.stack
      ? [
          {
            heading: 'As served through the stack',
            html: `<p>Top 10s asked of the origin app with diversity off and with the default rules; the sequential replay's events went through ingest, kinesalite and the user-state handler.</p><pre>${JSON.stringify(r.stack, null, 2).replace(/</g, '&lt;')}</pre>`,
          },
        ]
      : []),
  ]);
}
