import { loadLocalConfig } from './config';
import { prefixed } from './supervisor/log';
import { startStack } from './supervisor/stack';

// `npm start`: the whole platform on this machine. `npm start -- --reset` starts from empty data.
// Node children watch for this and exit if the supervisor dies without stopping them.
process.env.ATTUNE_SUPERVISED = '1';
const say = prefixed('attune', 0);
const t0 = performance.now();
const reset = process.argv.includes('--reset');

let stack: Awaited<ReturnType<typeof startStack>> | undefined;
let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  say(`${signal}: stopping every service`);
  await stack?.stop();
  say('stopped; no process left behind');
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));

try {
  const config = loadLocalConfig();
  stack = await startStack(config, { reset, log: say });
  if (stopping) await stack.stop();
  const { urls } = stack;
  const secs = ((performance.now() - t0) / 1000).toFixed(1);
  console.log(
    [
      '',
      `Attune is up in ${secs} s. Ctrl-C stops everything.`,
      `  edge     ${urls.edge}   try ${urls.edge}/v1/recommendations?user_id=user-0001&surface=home&limit=10`,
      `  origin   ${urls.origin}   (recommend + ingest Lambdas)`,
      `  admin    ${urls.admin}/admin/health`,
      `  model    ${urls.model}/ping   (SageMaker serving contract)`,
      `  dynamodb ${urls.dynamodb}   kinesis ${urls.kinesis}`,
      '',
    ].join('\n'),
  );
} catch (err) {
  say(`start-up failed: ${(err as Error).message}`);
  process.exit(1);
}
