import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';

// The stack mode runs the origin app in process: one EMF line per request would drown stdout,
// whose last line must be the JSON summary. Set before the origin's modules load.
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
process.env.POWERTOOLS_LOG_LEVEL ??= 'ERROR';
process.env.AWS_EC2_METADATA_DISABLED ??= 'true';
const { readMovieLens } = await import('../../local/training/movielens');
const { renderReport, summaryLine } = await import('./report');
const { runEvaluation } = await import('./run-eval');
const { runStackEvaluation } = await import('./stack/run-stack');

// npm run eval -- --dataset movielens --path DIR --out report.html [--via stack]
// Progress goes to stderr; the last stdout line is the JSON summary.
const { values } = parseArgs({
  options: {
    dataset: { type: 'string', default: 'movielens' },
    path: { type: 'string' },
    out: { type: 'string', default: 'eval-report.html' },
    candidates: { type: 'string', default: '200' },
    factors: { type: 'string', default: '32' },
    via: { type: 'string', default: 'process' },
    'max-steps': { type: 'string', default: '20' },
    users: { type: 'string' },
    'poll-ms': { type: 'string', default: '100' },
    concurrency: { type: 'string', default: '4' },
  },
});
const log = (m: string) => process.stderr.write(`eval: ${m}\n`);
if (values.dataset !== 'movielens' || !values.path || !['process', 'stack'].includes(values.via)) {
  log(
    'usage: npm run eval -- --dataset movielens --path DIR [--out FILE] [--candidates N] [--factors K]\n' +
      '         [--via process|stack] [--max-steps N] [--users N] [--poll-ms MS] [--concurrency N]',
  );
  process.exit(2);
}
const started = performance.now();
const ds = await readMovieLens(values.path);
log(`read ${ds.interactions.length} interactions from ${values.path}`);
const report =
  values.via === 'stack'
    ? await runStackEvaluation(ds, {
        candidates: Number(values.candidates),
        factors: Number(values.factors),
        maxSteps: Number(values['max-steps']),
        ...(values.users ? { users: Number(values.users) } : {}),
        pollMs: Number(values['poll-ms']),
        concurrency: Number(values.concurrency),
        // Ctrl-C stops every stand-in this run started (by process group), then exits.
        onCleanup: (stop) => {
          for (const signal of ['SIGINT', 'SIGTERM'] as const)
            process.once(signal, () => {
              log(`${signal}: stopping the stand-ins`);
              void stop().finally(() => process.exit(130));
            });
        },
      })
    : await runEvaluation(ds, {
        log,
        progress: true,
        candidates: Number(values.candidates),
        als: { factors: Number(values.factors) },
      });
const command = `npm run eval -- ${process.argv.slice(2).join(' ')}`;
await mkdir(dirname(values.out), { recursive: true });
await writeFile(values.out, renderReport(report, command));
log(`report written to ${values.out}; ${((performance.now() - started) / 1000).toFixed(1)} s in total`);
process.stdout.write(`${JSON.stringify(summaryLine(report))}\n`);
// The stack mode's SDK clients may keep sockets open; everything it started is stopped by now.
if (values.via === 'stack') process.exit(0);
