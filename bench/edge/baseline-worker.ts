/**
 * The floor the real Worker is compared with: a module Worker that makes one KV read of the
 * same record and returns it, so workerd, the HTTP hop and KV are in both measurements.
 */
export const BASELINE_WORKER_SCRIPT = `
export default {
  async fetch(request, env) {
    const key = new URL(request.url).searchParams.get('key');
    const value = key ? await env.RECS_KV.get(key) : null;
    if (value === null) return new Response('not found', { status: 404 });
    return new Response(value, { headers: { 'content-type': 'application/json' } });
  },
};
`;
