/**
 * Stream bench: `npm run bench:stream -- --events N --out FILE`. Drives N synthetic events through
 * origin ingest -> kinesalite -> the local event source mappings -> the three stream handlers ->
 * DynamoDB Local, injects duplicate sends, a mid-batch crash and a TRIM_HORIZON replay, and prints
 * one final JSON line. See docs/benchmarks.md.
 */
// EMF lines per batch would drown the progress output; the handlers still build their metrics.
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
process.env.POWERTOOLS_LOG_LEVEL ??= 'ERROR';
process.env.AWS_EC2_METADATA_DISABLED ??= 'true';

const { runBench } = await import('./run');
const { parseBenchArgs } = await import('./args');
try {
  await runBench(parseBenchArgs(process.argv.slice(2)));
  process.exit(0);
} catch (err) {
  console.error(err);
  process.exit(1);
}

export {};
