import { mkdir } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { createModelApp, type ServerLog } from './app';
import { BundleRefusedError } from './compatibility';
import { DEFAULT_MODEL_VERSION, ensureDefaultBundle, ensureDefaultModel } from './default-model';
import { ModelHolder } from './model-holder';
import { watchPointer } from './watch-pointer';

export { createModelApp, INVOKED_VARIANT_HEADER, type ServerLog, TARGET_VARIANT_HEADER } from './app';
export * from './bundle';
export * from './compatibility';
export * from './default-model';
export { ModelHolder, ModelNotLoadedError, type ReloadResult } from './model-holder';
export * from './registry';
export { DEFAULT_VARIANT_CAPACITY, VariantPool, VariantRefusedError } from './variant-pool';

export interface ModelServerOptions {
  /** Port to listen on; 0 picks a free one. */
  port: number;
  /** Directory of model bundles and the `current.json` pointer; the default model is written when empty. */
  modelDir: string;
  /** @default '127.0.0.1' */
  host?: string;
  /** Reload when `current.json` changes, in addition to `POST /reload`. @default true */
  watch?: boolean;
  /** @default no logging */
  log?: ServerLog;
}

export interface RunningModelServer {
  /** Base URL, e.g. `http://127.0.0.1:8080`; pass it as the SageMaker runtime client's endpoint. */
  readonly url: string;
  /** Version of the model serving new requests. */
  readonly modelVersion: string;
  close(): Promise<void>;
}

/**
 * Starts the local SageMaker-contract model server: makes sure a model exists, loads it, and
 * listens once it can answer `/ping` with 200.
 */
export async function startModelServer(opts: ModelServerOptions): Promise<RunningModelServer> {
  const { port, modelDir, host = '127.0.0.1', watch = true, log = () => {} } = opts;
  await mkdir(modelDir, { recursive: true });
  await ensureDefaultModel(modelDir);
  const holder = new ModelHolder(modelDir);
  try {
    await holder.reload();
  } catch (err) {
    if (!(err instanceof BundleRefusedError)) throw err;
    // The pointed-at bundle does not fit what is served: start on the default ranker instead.
    log(`${err.message}; falling back to ${DEFAULT_MODEL_VERSION}`);
    await ensureDefaultBundle(modelDir);
    await holder.loadVersion(DEFAULT_MODEL_VERSION);
  }
  const stopWatching = watch
    ? watchPointer(modelDir, () => {
        holder.reload().then(
          (r) => r.changed && log(`model reloaded: now serving ${r.version}`),
          (err: Error) => log(`reload failed, still serving ${holder.manifest?.version}: ${err.message}`),
        );
      })
    : () => {};

  const app = createModelApp(holder, log);
  const server = await new Promise<Server>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port, hostname: host }, () => resolve(s as Server)) as Server;
    s.once('error', reject);
  });
  const actual = (server.address() as AddressInfo).port;
  return {
    url: `http://${host}:${actual}`,
    get modelVersion() {
      return holder.manifest?.version ?? '';
    },
    async close() {
      stopWatching();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Keep-alive sockets from SDK clients would otherwise hold close() open.
        server.closeAllConnections();
      });
      await holder.close();
    },
  };
}
