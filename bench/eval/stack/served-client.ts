import type { recommendAppFor } from '../../../origin-lambdas/recommend/wire';
import type { RecommendationResponse } from '../../../shared/schemas/recommendation';

export type OriginApp = ReturnType<typeof recommendAppFor>;

/** What one served top-k came from. */
export interface ServedAnswer {
  readonly items: string[];
  readonly fallbackLevel: number;
  /** The page had to be widened past `k` because training items leaked into it. */
  readonly widened: boolean;
  readonly stage?: string;
  readonly degraded?: readonly string[];
}

/** The query's `exclude` takes at most 200 ids in at most 4096 characters. */
const EXCLUDE_MAX = 200;
const EXCLUDE_CHARS = 4096;
const LIMITS = [10, 25, 50, 100];

/** The longest prefix of `ids` the query string's `exclude` accepts. */
export function excludeParam(ids: readonly string[]): string[] {
  const out: string[] = [];
  let chars = 0;
  for (const id of ids) {
    if (out.length >= EXCLUDE_MAX || chars + id.length + (out.length ? 1 : 0) > EXCLUDE_CHARS) break;
    chars += id.length + (out.length ? 1 : 0);
    out.push(id);
  }
  return out;
}

/**
 * The origin's top `k` for one user, none of them an item the user trained on. The request
 * carries `exclude` (the caller's most likely leaks first, as many as the query accepts); the
 * origin itself drops the user's 50 most recent items. If training items still come back, the
 * same request is repeated with a larger `limit` (25, 50, 100) and they are dropped client-side.
 */
export async function servedTop(
  app: OriginApp,
  req: {
    readonly user: string;
    readonly surface: string;
    readonly trained: ReadonlySet<string>;
    readonly exclude: readonly string[];
    readonly k?: number;
  },
): Promise<ServedAnswer> {
  const k = req.k ?? 10;
  const exclude = excludeParam(req.exclude).join(',');
  for (const [n, limit] of LIMITS.entries()) {
    const q = new URLSearchParams({ user_id: req.user, surface: req.surface, limit: String(limit) });
    if (exclude) q.set('exclude', exclude);
    const res = await app.request(`/v1/recommendations?${q}`);
    if (res.status !== 200) throw new Error(`origin answered ${res.status}: ${await res.text()}`);
    const body = (await res.json()) as RecommendationResponse;
    const kept = body.items.map((i) => i.item_id).filter((id) => !req.trained.has(id));
    if (kept.length >= k || body.items.length < limit || n === LIMITS.length - 1)
      return {
        items: kept.slice(0, k),
        fallbackLevel: body.fallback_level,
        widened: n > 0,
        ...(body.cold_start_stage ? { stage: body.cold_start_stage } : {}),
        ...(body.degraded?.length ? { degraded: body.degraded } : {}),
      };
  }
  throw new Error('unreachable');
}

/** Tallies of what served a run of answers: fallback levels, cold-start stages, widened pages. */
export class ServedStats {
  readonly levels: Record<string, number> = {};
  readonly stages: Record<string, number> = {};
  readonly degraded: Record<string, number> = {};
  widened = 0;
  requests = 0;

  add(a: ServedAnswer): void {
    this.requests++;
    this.levels[a.fallbackLevel] = (this.levels[a.fallbackLevel] ?? 0) + 1;
    if (a.stage) this.stages[a.stage] = (this.stages[a.stage] ?? 0) + 1;
    for (const d of a.degraded ?? []) this.degraded[d] = (this.degraded[d] ?? 0) + 1;
    if (a.widened) this.widened++;
  }

  toJSON() {
    return {
      requests: this.requests,
      fallback_levels: this.levels,
      cold_start_stages: this.stages,
      degraded: this.degraded,
      widened: this.widened,
    };
  }
}
