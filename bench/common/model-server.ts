import { fileURLToPath } from 'node:url';
import { freePort } from '../../local/net/free-port';
import { type GroupChild, spawnGroup } from '../../local/standins/process-group';

/** The model server process and the model version it announced. */
export interface ModelServerProcess {
  readonly url: string;
  readonly version: string;
  readonly process: GroupChild;
}

/**
 * Starts the real model server (SageMaker runtime contract) in its own process group over
 * `modelDir`, as the local supervisor runs it, and waits for its `listening on URL (model V)` line.
 */
export async function startModelServerProcess(modelDir: string): Promise<ModelServerProcess> {
  const script = fileURLToPath(new URL('../../local/model-server/main.ts', import.meta.url));
  let announce: (m: RegExpExecArray) => void = () => undefined;
  let fail: (err: Error) => void = () => undefined;
  const listening = new Promise<RegExpExecArray>((resolve, reject) => {
    announce = resolve;
    fail = reject;
  });
  const proc = spawnGroup(
    'model',
    process.execPath,
    ['--import', 'tsx', script, '--port', String(await freePort()), '--model-dir', modelDir],
    {
      env: { ...process.env, ATTUNE_SUPERVISED: '1' },
      onLine: (line) => {
        const m = /listening on (http:\/\/\S+) \(model (\S+)\)/.exec(line);
        if (m) announce(m);
        else if (/failed to start/.test(line)) fail(new Error(line));
      },
    },
  );
  proc.child.once('exit', (code) => fail(new Error(`model server exited (${code}) before listening`)));
  try {
    const m = await listening;
    return { url: m[1] as string, version: m[2] as string, process: proc };
  } catch (err) {
    await proc.stop();
    throw err;
  }
}
