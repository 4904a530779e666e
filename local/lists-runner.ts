import { z } from 'zod';
import { parseConfig } from '../origin-lambdas/common/config';
import { loadListsConfig } from '../origin-lambdas/lists/config';
import { listJobFor } from '../origin-lambdas/lists/wire';
import { exitWithParent } from './supervisor/exit-with-parent';

exitWithParent();

// What the EventBridge rule does in AWS: the list job once now, then on a fixed interval.
const { ATTUNE_LISTS_INTERVAL_MS: intervalMs } = parseConfig(
  z.object({
    ATTUNE_LISTS_INTERVAL_MS: z.coerce.number().int().min(1000).max(86_400_000).default(60_000),
  }),
  process.env,
);
const config = loadListsConfig();
if (!config.DYNAMODB_ENDPOINT) throw new Error('the local lists runner needs DYNAMODB_ENDPOINT');
const job = listJobFor(config);

let timer: NodeJS.Timeout | undefined;
let running: Promise<void> | undefined;
let stopping = false;

async function runOnce(): Promise<void> {
  try {
    const r = await job.run();
    console.log(`lists refreshed: ${r.lists} lists over ${r.items} items in ${r.ms} ms`);
  } catch (err) {
    // The next tick retries the whole job, as the next scheduled invocation does in AWS.
    console.log(`lists refresh failed: ${(err as Error).message}`);
  }
}

// A chain of timeouts rather than setInterval: a slow run never overlaps the next one.
function schedule(): void {
  if (stopping) return;
  timer = setTimeout(() => {
    running = runOnce().finally(schedule);
  }, intervalMs);
}

running = runOnce().finally(schedule);
console.log(`lists runner refreshing every ${intervalMs} ms`);

const stop = async () => {
  stopping = true;
  clearTimeout(timer);
  await running;
  job.close();
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
