import { fileURLToPath } from 'node:url';
import { ListStreamsCommand } from '@aws-sdk/client-kinesis';
import { createKinesisClient } from '../../origin-lambdas/common/aws-clients';
import { waitFor } from '../net/wait-for';
import type { RunningStandIn } from './dynamodb-local';
import { spawnGroup } from './process-group';

export interface KinesaliteOptions {
  port: number;
  /** LevelDB directory; in memory when absent. */
  dataDir?: string;
  onLine?: (line: string) => void;
}

/** Starts kinesalite on 127.0.0.1 in its own process group and waits until it answers. */
export async function startKinesalite(opts: KinesaliteOptions): Promise<RunningStandIn> {
  const script = fileURLToPath(new URL('./kinesalite-server.mjs', import.meta.url));
  const args = [script, String(opts.port), ...(opts.dataDir ? [opts.dataDir] : [])];
  const proc = spawnGroup('kinesis', process.execPath, args, { onLine: (l) => opts.onLine?.(l) });
  const endpoint = `http://127.0.0.1:${opts.port}`;
  const client = createKinesisClient({ endpoint });
  try {
    await waitFor(`kinesalite on port ${opts.port}`, async () => {
      if (proc.exited()) throw new Error('kinesalite exited; is the port free?');
      await client.send(new ListStreamsCommand({}));
      return true;
    });
  } catch (err) {
    await proc.stop();
    throw err;
  } finally {
    client.destroy();
  }
  return { endpoint, process: proc, stop: () => proc.stop() };
}
