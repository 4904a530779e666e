import type { CatalogItem } from '../../../shared/ports/item-catalog';
import type { VectorIndex, VectorSearchOptions } from '../../../shared/ports/vector-index';
import { withTimeout } from '../../../shared/timeout';
import type { RetrievalPlan } from './plan';
import { type Retrieved, unionCandidates } from './retrieved';
import { collaborative, content, fromLists, type ListReader, type TrendingReader, trending } from './sources';

export interface RetrievalDeps {
  readonly index: VectorIndex;
  readonly trending: TrendingReader;
  readonly lists: ListReader;
  /** Per-source budget; a slow source is dropped, the others still serve. */
  readonly timeoutMs: number;
}

export interface RetrievalInput {
  readonly plan: RetrievalPlan;
  readonly embedding?: readonly number[];
  readonly anchors: readonly CatalogItem[];
  readonly filter: VectorSearchOptions;
  /** Candidates per source. @default 200 */
  readonly depth?: number;
}

export interface RetrievalResult {
  readonly candidates: Retrieved[];
  /** Candidates each source returned before the union. */
  readonly perSource: Record<string, number>;
  /** Sources that failed or timed out. */
  readonly failed: string[];
}

/** Runs the plan's sources in parallel, each under its budget, and unions what came back. */
export async function retrieve(deps: RetrievalDeps, input: RetrievalInput): Promise<RetrievalResult> {
  const k = input.depth ?? 200;
  const { plan } = input;
  const jobs: [string, () => Promise<Retrieved[]>][] = [];
  if (plan.collaborative && input.embedding)
    jobs.push([
      'collaborative',
      () => collaborative(deps.index, input.embedding as number[], k, input.filter),
    ]);
  if (input.anchors.length) jobs.push(['content', () => content(deps.index, input.anchors, k, input.filter)]);
  jobs.push(['trending', () => trending(deps.trending, plan.trendCategories, Math.ceil(k / 4))]);
  // The personal sources fill most of the list; popular lists are the floor that keeps it full.
  const popularDepth = plan.stage === 'collaborative' ? Math.ceil(k / 4) : k;
  jobs.push(['popular', () => fromLists(deps.lists, plan.popularLists, popularDepth, 'popular')]);

  const settled = await Promise.allSettled(
    jobs.map(([name, run]) => withTimeout(run(), deps.timeoutMs, `${name} retrieval`)),
  );
  const perSource: Record<string, number> = {};
  const failed: string[] = [];
  const lists: Retrieved[][] = [];
  settled.forEach((s, i) => {
    const name = jobs[i]?.[0] as string;
    if (s.status === 'fulfilled') {
      perSource[name] = s.value.length;
      lists.push(s.value);
    } else failed.push(name);
  });
  const excluded = input.filter.excludeIds;
  const candidates = unionCandidates(lists).filter((r) => !excluded?.has(r.item_id));
  return { candidates, perSource, failed };
}
