import type { UserState } from '../../../shared/ports/user-state-store';
import type { SessionFeatures, UserProfile } from '../../../stream-handlers/user-state/profile';
import { decodeProfile } from '../../../stream-handlers/user-state/profile-codec';
import { profileFromRows, type UserProfileView } from '../../admin/users/profile';

/** A user's last good (level 0) list for one surface, kept in their partition. */
export interface LastGoodList {
  /** Enough of each item to serve it when the catalog cannot be read. */
  readonly items: readonly LastGoodItem[];
  readonly at: number;
}

export interface LastGoodItem {
  readonly item_id: string;
  readonly category: string;
  readonly title?: string;
}

/** Everything serving knows about the subject, from one read of their partition. */
export interface UserContext {
  readonly subject: string;
  /** Any row exists for the subject. */
  readonly known: boolean;
  readonly eventCount: number;
  /** Engaged items, most recent first. */
  readonly recentItems: readonly string[];
  readonly purchased: ReadonlySet<string>;
  /** Unit taste embedding, when the user has one. */
  readonly embedding?: readonly number[];
  readonly embeddingVersion?: number;
  /** Category -> affinity relative to the strongest category, in [0, 1]. */
  readonly affinities: Readonly<Record<string, number>>;
  readonly mood?: readonly number[];
  /** The most recent session's features, when the state row has one. */
  readonly session?: SessionFeatures;
  readonly segments: readonly string[];
  readonly optedOut: boolean;
  readonly blockedItems: ReadonlySet<string>;
  readonly blockedCategories: ReadonlySet<string>;
  /** Categories chosen at onboarding, the cold-start signal before any event. */
  readonly onboardingCategories: readonly string[];
  readonly age?: number;
  readonly country?: string;
  readonly lastGood: ReadonlyMap<string, LastGoodList>;
  /** The view campaign targeting tests (segments, affinities, daily caps). */
  readonly targeting: UserProfileView;
}

/** The facet of a user's last good list for a surface. */
export const lastGoodFacet = (surface: string) => `lastgood#${surface}`;

const strings = (v: unknown): string[] =>
  v instanceof Set ? [...v].map(String) : Array.isArray(v) ? v.map(String) : [];

function relative(scores: Record<string, number> | undefined): Record<string, number> {
  const max = Math.max(0, ...Object.values(scores ?? {}).filter(Number.isFinite));
  if (max <= 0) return {};
  return Object.fromEntries(Object.entries(scores ?? {}).map(([k, v]) => [k, Math.max(0, v) / max]));
}

/** The context of a subject nobody knows anything about (or whose partition could not be read). */
export function emptyContext(subject: string, optedOut = false): UserContext {
  return {
    subject,
    known: false,
    eventCount: 0,
    recentItems: [],
    purchased: new Set(),
    affinities: {},
    segments: [],
    optedOut,
    blockedItems: new Set(),
    blockedCategories: new Set(),
    onboardingCategories: [],
    lastGood: new Map(),
    targeting: profileFromRows([]),
  };
}

/** Builds the context from the partition's rows (`state`, `prefs`, `lastgood#<surface>`...). */
export function contextFromRows(subject: string, rows: readonly Record<string, unknown>[]): UserContext {
  if (rows.length === 0) return emptyContext(subject);
  const byFacet = new Map(rows.map((r) => [String(r.facet), r]));
  const stateRow = byFacet.get('state');
  const prefs = byFacet.get('prefs') ?? {};
  const state: UserProfile | undefined = stateRow
    ? decodeProfile(stateRow as unknown as UserState)
    : undefined;
  const embedding = state?.embedding?.length ? state.embedding : undefined;
  const session = state?.last_session_id ? state.sessions?.[state.last_session_id] : undefined;
  const lastGood = new Map<string, LastGoodList>();
  for (const [facet, row] of byFacet) {
    if (!facet.startsWith('lastgood#')) continue;
    const items = Array.isArray(row.items) ? (row.items as LastGoodItem[]) : [];
    lastGood.set(facet.slice('lastgood#'.length), { items, at: Number(row.at ?? 0) });
  }
  const stateExtra = (stateRow ?? {}) as Record<string, unknown>;
  return {
    subject,
    known: true,
    eventCount: Number(state?.event_count ?? 0),
    recentItems: state?.recent_items ?? [],
    purchased: new Set([...strings(stateExtra.purchased), ...strings(prefs.purchased)]),
    ...(embedding?.every(Number.isFinite) ? { embedding } : {}),
    ...(state?.embedding_version !== undefined ? { embeddingVersion: state.embedding_version } : {}),
    affinities: relative(state?.affinities?.scores as Record<string, number> | undefined),
    ...(state?.mood ? { mood: state.mood } : {}),
    ...(session ? { session } : {}),
    segments: [...new Set([...strings(stateExtra.segments), ...strings(prefs.segments)])],
    optedOut: prefs.opted_out === true,
    blockedItems: new Set(strings(prefs.blocked_items)),
    blockedCategories: new Set(strings(prefs.blocked_categories)),
    onboardingCategories: strings(prefs.onboarding_categories),
    ...(typeof prefs.age === 'number' ? { age: prefs.age } : {}),
    ...(typeof prefs.country === 'string' ? { country: prefs.country } : {}),
    lastGood,
    targeting: profileFromRows(rows),
  };
}
