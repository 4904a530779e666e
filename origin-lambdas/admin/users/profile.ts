import { decodeVector } from '../../adapters/vector-codec';

/** What campaign ranking needs to know about a user, read from the user's partition. */
export interface UserProfileView {
  readonly exists: boolean;
  readonly embedding?: number[];
  /** Category -> affinity relative to the user's strongest category, in [0, 1]. */
  readonly affinities: Record<string, number>;
  readonly segments: string[];
  readonly country?: string;
  readonly device?: string;
  readonly eventCount: number;
  readonly optedOut: boolean;
  /** Impressions today per campaign id, from `cap#<campaign>#<yyyy-mm-dd>` rows. */
  readonly impressionsOn: (campaignId: string, day: string) => number;
}

export { userRows } from '../../adapters/dynamodb-user-partition';

/** Per-user daily impression counter row of a campaign (written by whoever records impressions). */
export const capFacet = (campaignId: string, day: string) => `cap#${campaignId}#${day}`;

// The taste may be stored as a number list or as float32 bytes; read both, trust neither blindly.
function vectorOf(v: unknown): number[] | undefined {
  const nums = v instanceof Uint8Array ? decodeVector(v) : Array.isArray(v) ? v.map(Number) : undefined;
  return nums?.length && nums.every(Number.isFinite) && nums.some((x) => x !== 0) ? nums : undefined;
}

function relativeAffinities(raw: unknown): Record<string, number> {
  const scores = (raw as { scores?: Record<string, number> } | undefined)?.scores ?? {};
  const max = Math.max(0, ...Object.values(scores).filter(Number.isFinite));
  if (max <= 0) return {};
  return Object.fromEntries(Object.entries(scores).map(([k, v]) => [k, Math.max(0, v) / max]));
}

/** Builds the ranking view of a user from the partition's rows. */
export function profileFromRows(rows: readonly Record<string, unknown>[]): UserProfileView {
  const byFacet = new Map(rows.map((r) => [r.facet as string, r]));
  const state = byFacet.get('state') ?? {};
  const prefs = byFacet.get('prefs') ?? {};
  const list = (v: unknown) => (Array.isArray(v) ? v.map(String) : []);
  return {
    exists: rows.length > 0,
    embedding: vectorOf(state.embedding) ?? vectorOf(state.taste_embedding),
    affinities: relativeAffinities(state.affinities),
    segments: [...new Set([...list(state.segments), ...list(prefs.segments)])],
    country: typeof state.country === 'string' ? state.country : undefined,
    device: typeof state.device === 'string' ? state.device : undefined,
    eventCount: Number(state.event_count ?? 0),
    optedOut: prefs.opted_out === true,
    impressionsOn: (id, day) => Number(byFacet.get(capFacet(id, day))?.impressions ?? 0),
  };
}
