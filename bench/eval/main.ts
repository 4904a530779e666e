import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { readMovieLens } from '../../local/training/movielens';
import { renderReport, summaryLine } from './report';
import { runEvaluation } from './run-eval';

// npm run eval -- --dataset movielens --path DIR --out report.html
// Progress goes to stderr; the last stdout line is the JSON summary.
const { values } = parseArgs({
  options: {
    dataset: { type: 'string', default: 'movielens' },
    path: { type: 'string' },
    out: { type: 'string', default: 'eval-report.html' },
    candidates: { type: 'string', default: '20' },
    factors: { type: 'string', default: '32' },
  },
});
const log = (m: string) => process.stderr.write(`eval: ${m}\n`);
if (values.dataset !== 'movielens' || !values.path) {
  log('usage: npm run eval -- --dataset movielens --path DIR [--out FILE] [--candidates N] [--factors K]');
  process.exit(2);
}
const ds = await readMovieLens(values.path);
log(`read ${ds.interactions.length} interactions from ${values.path}`);
const report = await runEvaluation(ds, {
  log,
  progress: true,
  candidates: Number(values.candidates),
  als: { factors: Number(values.factors) },
});
const command = `npm run eval -- ${process.argv.slice(2).join(' ')}`;
await mkdir(dirname(values.out), { recursive: true });
await writeFile(values.out, renderReport(report, command));
log(`report written to ${values.out}`);
process.stdout.write(`${JSON.stringify(summaryLine(report))}\n`);
