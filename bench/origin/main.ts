/**
 * Origin bench: `npm run bench:origin -- --items N --out FILE`. Builds an N-item catalog in
 * DynamoDB Local and an embedded HNSW index over its embeddings, measures the index's recall@100
 * against an exact scan, then drives the recommend funnel in process (`app.request`) against
 * DynamoDB Local and the real model server, and prints one final JSON line. See docs/benchmarks.md.
 */
// One EMF line per request would drown the progress output; the app still builds its metrics.
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
process.env.POWERTOOLS_LOG_LEVEL ??= 'ERROR';
process.env.AWS_EC2_METADATA_DISABLED ??= 'true';

const { runOriginBench } = await import('./run');
const { parseOriginBenchArgs } = await import('./args');
try {
  await runOriginBench(parseOriginBenchArgs(process.argv.slice(2)));
  process.exit(0);
} catch (err) {
  console.error(err);
  process.exit(1);
}

export {};
