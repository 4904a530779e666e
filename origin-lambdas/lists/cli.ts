import { loadListsConfig } from './config';
import type { ListJobPhase } from './job';
import { listJobFor } from './wire';

const USAGE = `usage: npm run lists:refresh

Recomputes the fallback and cold-start lists (global, category, country and segment popular) once,
against the DynamoDB the local stack uses (DYNAMODB_ENDPOINT, default http://127.0.0.1:8793;
ATTUNE_TABLE_PREFIX, default attune-local). In AWS the scheduled Lambda does the same every 5 minutes.`;

/** One status line on stderr, redrawn in place on a terminal, printed once at the end otherwise. */
function progressLine(): { update(phase: ListJobPhase, done: number, total?: number): void; done(): void } {
  const counts: Partial<Record<ListJobPhase, string>> = {};
  const tty = process.stderr.isTTY === true;
  const line = () =>
    `lists: ${(['items', 'users', 'trending', 'write'] as const)
      .filter((p) => counts[p] !== undefined)
      .map((p) => `${p} ${counts[p]}`)
      .join(' | ')}`;
  return {
    update(phase, done, total) {
      counts[phase] = total === undefined ? String(done) : `${done}/${total}`;
      if (tty) process.stderr.write(`\r${line()}`);
    },
    done() {
      process.stderr.write(tty ? '\n' : `${line()}\n`);
    },
  };
}

async function main(argv: string[]): Promise<number> {
  if (argv.length) {
    console.error(USAGE);
    return argv[0] === '--help' || argv[0] === '-h' ? 0 : 2;
  }
  const config = loadListsConfig({
    ...process.env,
    DYNAMODB_ENDPOINT: process.env.DYNAMODB_ENDPOINT ?? 'http://127.0.0.1:8793',
  });
  const job = listJobFor(config);
  const progress = progressLine();
  try {
    const report = await job.run({ onProgress: progress.update });
    progress.done();
    console.log(`refreshed ${report.lists} lists over ${report.items} items in ${report.ms} ms`);
    return 0;
  } finally {
    job.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: Error) => {
    console.error(`\nlists:refresh failed: ${err.message}`);
    process.exit(1);
  },
);
