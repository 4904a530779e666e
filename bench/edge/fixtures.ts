/**
 * Deterministic KV inputs for the edge benchmarks: a v2 `recs` record (the shape
 * `KvEdgeCache.putRecs` stores) and a session state, seeded so every run reads the same bytes.
 * Both carry the stamps the Worker writes (`stamped-record.ts`); `unstamped` drops them, to
 * measure the full validation a record from older code gets.
 */
import { RECS_RECORD_FINGERPRINT, recsRecordFor } from '../../edge-worker/src/cache/records';
import { stamped } from '../../edge-worker/src/cache/stamped-record';
import { SESSION_STATE_FINGERPRINT } from '../../edge-worker/src/session/state';
import { quantizeVector } from '../../shared/embedding/quantize';
import type { EdgeSlots } from '../../shared/schemas/edge-slots';
import type { CachedCandidate } from '../../shared/schemas/recommendation';
import { SOURCES } from '../../shared/scoring/candidate';
import { DEFAULT_SURFACE_RULES } from '../../shared/scoring/surface-rules';

const CATEGORIES = ['books', 'shoes', 'games', 'garden', 'kitchen', 'music', 'toys', 'sports'];

/** mulberry32: tiny and seedable, so runs compare like with like. */
function seeded(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const round4 = (x: number) => Math.round(x * 1e4) / 1e4;

/** Slot items travel without vectors, as `edgeSlots` sends them. */
const withoutVector = ({ vq: _vq, ...c }: CachedCandidate): CachedCandidate => c;

/** The raw KV values of one edge hit. */
export interface EdgeFixture {
  /** JSON of a v2 `recs:v1:<subject>:<surface>` record. */
  readonly recordRaw: string;
  /** JSON of a `session:v1:<id>` state that has seen 30 of the candidates. */
  readonly sessionRaw: string;
}

/** Options for {@link edgeFixture}. */
export interface EdgeFixtureOptions {
  /** Candidates in the record. @default 200 */
  readonly candidates?: number;
  /** `stored_at` of the record (epoch ms); the Worker serves a hit only while it is fresh. @default Date.now() */
  readonly storedAt?: number;
  /** @default 42 */
  readonly seed?: number;
  /** Leave the stamps off, as records from older code are. @default false */
  readonly unstamped?: boolean;
}

/**
 * Builds a record of `candidates` candidates (32-d vectors quantized, as the origin sends them), its 50-item ranked answer, and a session state.
 */
export function edgeFixture(options: EdgeFixtureOptions = {}): EdgeFixture {
  const depth = options.candidates ?? 200;
  const storedAt = options.storedAt ?? Date.now();
  const rand = seeded(options.seed ?? 42);
  const vector = () => Array.from({ length: 32 }, () => round4(rand() * 2 - 1));
  const candidates: CachedCandidate[] = Array.from({ length: depth }, (_, i) => ({
    item_id: `item-${String(i).padStart(5, '0')}`,
    category: CATEGORIES[i % CATEGORIES.length] as string,
    score: round4(1 - i / (depth * 1.1)),
    source: SOURCES[i % 5] as CachedCandidate['source'],
    popularity: round4(rand()),
    freshness: round4(rand()),
    vq: quantizeVector(vector()),
    title: `A catalog item title number ${i}`,
  }));
  const response = {
    items: candidates.slice(0, 50).map((c, position) => ({
      item_id: c.item_id,
      score: c.score,
      position,
      reasons: [{ code: 'popular' as const, text: `Popular in ${c.category}` }],
      sponsored: false,
      title: c.title,
      category: c.category,
    })),
    request_id: 'origin-req',
    decision_id: 'dec-1',
    surface: 'home',
    model_version: 'linear-default-v1',
    fallback_level: 0,
    served_by: 'origin' as const,
    candidates_retrieved: depth,
    candidates_scored: depth,
    timings_ms: { rank: 5 },
  };
  // Slot inputs as the origin sends them: four eligible campaigns and a 60-item exploration pool,
  // so the hit path runs the Thompson draws for the sponsored and exploration slots.
  const slots: EdgeSlots = {
    rules: { ...DEFAULT_SURFACE_RULES.home, sponsoredPositions: [2, 9] },
    sponsored: [0, 1, 2, 3].map((k) => ({
      campaign_id: `campaign-${k}`,
      priority: 100,
      alpha: 1 + Math.round(rand() * 50),
      beta: 1 + Math.round(rand() * 500),
      item: {
        ...withoutVector(candidates[depth - 1 - k] as CachedCandidate),
        sponsored: true,
        campaign_id: `campaign-${k}`,
      },
    })),
    // All in the candidate list, so all sent by id, as `edgeSlots` does.
    pool: candidates.slice(40, 100).map((c) => ({
      item_id: c.item_id,
      alpha: 1 + Math.round(rand() * 20),
      beta: 1 + Math.round(rand() * 200),
    })),
  };
  const record = recsRecordFor({ ...response, candidates, slots }, storedAt);
  const session = {
    seen: candidates.slice(0, 30).map((c) => c.item_id),
    hidden: candidates[40] ? [candidates[40].item_id] : [],
    categories: { books: 3, shoes: 1 },
    vector: vector(),
    updated_at: storedAt,
  };
  if (options.unstamped) return { recordRaw: JSON.stringify(record), sessionRaw: JSON.stringify(session) };
  return {
    recordRaw: JSON.stringify(stamped(record, RECS_RECORD_FINGERPRINT)),
    sessionRaw: JSON.stringify(stamped(session, SESSION_STATE_FINGERPRINT)),
  };
}
