/**
 * Ids of the precomputed lists in the `lists` table, in one place: the scheduled list job writes
 * them, the origin's cold-start and degradation ladder read them, user deletion removes per-user ones.
 */
export const LIST_IDS = {
  /** Level 4 of the ladder: the global popular list. */
  globalPopular: 'popular:global',
  /** Level 3 (and cold start): popular among a segment of users. */
  segmentPopular: (segment: string) => `popular:segment:${segment}`,
  /** Level 3 (and cold start) for anonymous visitors: popular in a country (ISO alpha-2). */
  countryPopular: (country: string) => `popular:country:${country.toUpperCase()}`,
  /** Cold start with onboarding or context categories: popular in one category. */
  categoryPopular: (category: string) => `popular:category:${category}`,
  /** Level 2: the user's last good (level 0) list for a surface. */
  lastGood: (user: string, surface: string) => `lastgood:${user}:${surface}`,
  /** Co-interaction neighbours of an item, for related items. */
  coInteraction: (itemId: string) => `related:${itemId}`,
} as const;
