import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../local/net/free-port';
import { startDynamoDbLocal } from '../../local/standins/dynamodb-local';
import { ensureTables } from '../../local/standins/tables';
import { createDocumentClient, createDynamoClient } from '../../origin-lambdas/common/aws-clients';
import { startModelServerProcess } from '../common/model-server';
import { log } from './progress';

/** Peak resident set (VmHWM) of a live process in MB, from /proc; undefined when unreadable. */
export function peakRssMb(pid: number): number | undefined {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Math.round(Number(m[1]) / 1024) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * CPU time (user + system) a live process has used, in ms, from /proc/<pid>/stat (fields 14 and
 * 15, in clock ticks of 10 ms on Linux); undefined when unreadable.
 */
export function cpuMs(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may hold spaces; the fields after it are space-separated.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return undefined;
  }
}

/**
 * What the funnel runs against: DynamoDB Local (in memory) with every table under a fresh
 * prefix, and the real model server (the SageMaker runtime contract) in its own process, as the
 * local supervisor runs it, so its CPU is not mistaken for the funnel's.
 */
export async function startOriginBenchStack() {
  const dynamo = await startDynamoDbLocal({ port: await freePort() });
  const modelDir = await mkdtemp(join(tmpdir(), 'attune-bench-models-'));
  const modelStarting = startModelServerProcess(modelDir);
  // Awaited below; a start failure before then must not surface as an unhandled rejection.
  modelStarting.catch(() => undefined);
  const prefix = `bo${Date.now().toString(36)}`;
  const client = createDynamoClient({ endpoint: dynamo.endpoint });
  const doc = createDocumentClient({ endpoint: dynamo.endpoint });
  try {
    await ensureTables(client, prefix);
    const model = await modelStarting;
    const modelUrl = model.url;
    log(`DynamoDB Local at ${dynamo.endpoint} (prefix ${prefix}), model server at ${modelUrl}`);
    return {
      prefix,
      doc,
      dynamoEndpoint: dynamo.endpoint,
      modelUrl,
      /** Peak RSS of the two stand-in processes so far. */
      peakRss: () => ({ dynamodb: peakRssMb(dynamo.process.pid), model: peakRssMb(model.process.pid) }),
      /** CPU ms used so far by the two stand-in processes. */
      cpuMs: () => ({ dynamodb: cpuMs(dynamo.process.pid), model: cpuMs(model.process.pid) }),
      async stop() {
        doc.destroy();
        client.destroy();
        await Promise.all([dynamo.stop(), model.process.stop()]);
        await rm(modelDir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    doc.destroy();
    client.destroy();
    // The model server stops itself when it fails to start; a started one is stopped here.
    await Promise.all([
      dynamo.stop(),
      modelStarting.then(
        (m) => m.process.stop(),
        () => undefined,
      ),
    ]);
    await rm(modelDir, { recursive: true, force: true });
    throw err;
  }
}

export type OriginBenchStack = Awaited<ReturnType<typeof startOriginBenchStack>>;
