import type { SegmentTaste } from './compute';

const strings = (v: unknown): string[] =>
  v instanceof Set ? [...v].map(String) : Array.isArray(v) ? v.map(String) : [];

/** A user's scores relative to their strongest category, so every member weighs the same. */
function relative(raw: unknown): Record<string, number> {
  const scores = (raw as { scores?: Record<string, unknown> } | undefined)?.scores ?? {};
  const entries = Object.entries(scores).map(([k, v]) => [k, Number(v)] as const);
  const max = entries.reduce((m, [, v]) => (Number.isFinite(v) ? Math.max(m, v) : m), 0);
  if (max <= 0) return {};
  return Object.fromEntries(
    entries.filter(([, v]) => Number.isFinite(v) && v > 0).map(([k, v]) => [k, v / max]),
  );
}

/**
 * Segment tastes from `users` rows (`state` and `prefs` facets, any order, any number of users).
 * A user's segments are the union of both rows' `segments`; a segment's affinity for a category is
 * the mean over its members of their relative affinity (members without affinities count as 0).
 */
export function segmentTastes(rows: readonly Record<string, unknown>[]): SegmentTaste[] {
  const users = new Map<string, { segments: Set<string>; affinities: Record<string, number> }>();
  for (const row of rows) {
    const id = String(row.user_id);
    const u = users.get(id) ?? { segments: new Set<string>(), affinities: {} };
    for (const s of strings(row.segments)) if (s) u.segments.add(s);
    if (row.facet === 'state') u.affinities = relative(row.affinities);
    users.set(id, u);
  }
  const sums = new Map<string, { members: number; totals: Record<string, number> }>();
  for (const u of users.values()) {
    for (const segment of u.segments) {
      const acc = sums.get(segment) ?? { members: 0, totals: {} };
      acc.members += 1;
      for (const [c, a] of Object.entries(u.affinities)) acc.totals[c] = (acc.totals[c] ?? 0) + a;
      sums.set(segment, acc);
    }
  }
  return [...sums]
    .map(([segment, { members, totals }]) => ({
      segment,
      members,
      affinities: Object.fromEntries(Object.entries(totals).map(([c, t]) => [c, t / members])),
    }))
    .sort((a, b) => (a.segment < b.segment ? -1 : 1));
}
