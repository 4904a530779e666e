import type { Reason } from '../schemas/recommendation';

/** What a reasoner sees: the page as served, with the reasons the scoring core gave. */
export interface ReasonerRequest {
  /** A short, non-identifying summary of the user's recent intent (categories, session items). */
  readonly intent: string;
  readonly items: readonly { item_id: string; title?: string; category?: string; reason: Reason }[];
}

/** Rewritten explanation texts by item id; items left out keep their reason. */
export type ReasonerResult = ReadonlyMap<string, string>;

/**
 * Port: an optional language model that rewrites explanations (or resolves conflicting intents)
 * for requests marked complex. It must answer within a hard budget or be ignored; serving never
 * waits on it longer and never fails because of it. Disabled by default.
 */
export interface Reasoner {
  readonly enabled: boolean;
  rewrite(request: ReasonerRequest, options: { budgetMs: number }): Promise<ReasonerResult>;
}

/** The default: no language model, explanations stay as the scoring core wrote them. */
export const DISABLED_REASONER: Reasoner = {
  enabled: false,
  async rewrite() {
    return new Map();
  },
};
