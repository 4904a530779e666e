import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import worker from '../../../edge-worker/src/index';

/** Base URL of requests to the Worker under test. */
export const EDGE = 'https://edge.attune.test';

/**
 * Calls the Worker's fetch handler with the real (simulated) bindings, optionally overriding
 * vars, and waits for its `waitUntil` work so KV writes and forwards can be asserted.
 */
export async function callWorker(
  path: string,
  init: Omit<RequestInit, 'cf'> & { cf?: Partial<IncomingRequestCfProperties> } = {},
  vars: Partial<Record<keyof Env, string>> = {},
): Promise<Response> {
  const ctx = createExecutionContext();
  const res = await worker.fetch(
    new Request(`${EDGE}${path}`, init as RequestInit),
    { ...env, ...vars } as Env,
    ctx,
  );
  await waitOnExecutionContext(ctx);
  return res;
}
