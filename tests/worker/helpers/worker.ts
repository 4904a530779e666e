import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import worker from '../../../edge-worker/src/index';
import { fakeQueue } from './fake-queue';

/** Base URL of requests to the Worker under test. */
export const EDGE = 'https://edge.attune.test';

/** Per-call binding overrides: vars as strings, other bindings as themselves, undefined to drop one. */
export type WorkerOverrides = { [K in keyof Env]?: string | Env[K] | undefined };

/**
 * Calls the Worker's fetch handler with the real (simulated) bindings, optionally overriding
 * vars, and waits for its `waitUntil` work so KV writes and forwards can be asserted.
 * `EVENTS_QUEUE` is an in-memory {@link fakeQueue} unless overridden: messages on the real
 * simulated queue would reach the Worker's consumer seconds later, inside some other test.
 */
export async function callWorker(
  path: string,
  init: Omit<RequestInit, 'cf'> & { cf?: Partial<IncomingRequestCfProperties> } = {},
  vars: WorkerOverrides = {},
): Promise<Response> {
  const ctx = createExecutionContext();
  const res = await worker.fetch(
    new Request(`${EDGE}${path}`, init as RequestInit),
    { ...env, EVENTS_QUEUE: fakeQueue(), ...vars } as Env,
    ctx,
  );
  await waitOnExecutionContext(ctx);
  return res;
}
