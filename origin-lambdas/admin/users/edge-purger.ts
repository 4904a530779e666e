/** Port: removes a subject's cached recommendation lists from the edge's KV. */
export interface EdgeCachePurger {
  /** Returns how many cache entries were removed. */
  purgeUser(subject: string): Promise<number>;
}

/**
 * Calls the edge Worker's internal route `DELETE /internal/users/{subject}/cache`, which
 * removes `recs:v1:<subject>:<surface>` for every surface. The shared secret is the only guard,
 * so the route answers 404 at the edge when the secret is not configured.
 */
export class HttpEdgeCachePurger implements EdgeCachePurger {
  constructor(
    private readonly edgeUrl: string,
    /** The shared secret, or where to get it (read lazily, e.g. from Secrets Manager). */
    private readonly secret: string | (() => Promise<string>),
    private readonly fetchFn: typeof fetch = fetch,
  ) {}

  async purgeUser(subject: string): Promise<number> {
    const res = await this.fetchFn(
      `${this.edgeUrl.replace(/\/+$/, '')}/internal/users/${encodeURIComponent(subject)}/cache`,
      {
        method: 'DELETE',
        headers: {
          'x-attune-internal-secret': typeof this.secret === 'string' ? this.secret : await this.secret(),
        },
      },
    );
    if (!res.ok) throw new Error(`edge purge answered ${res.status}`);
    const body = (await res.json()) as { removed?: number };
    return body.removed ?? 0;
  }
}
