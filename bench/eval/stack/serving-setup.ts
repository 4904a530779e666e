import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ruleSetSchema } from '../../../origin-lambdas/admin/rules/schemas';
import { RuleStore } from '../../../origin-lambdas/admin/rules/store';
import { dynamoListJobDeps, refreshLists } from '../../../origin-lambdas/lists/job';
import type { Surface } from '../../../shared/scoring/surface-rules';

/**
 * The two surfaces the stack eval asks. `off`: the notification surface, whose defaults explore
 * nothing and reserve no sponsored slot, with a stored category cap of 100 so the diversity rule
 * never binds. `on`: the home surface with nothing stored, i.e. its default rules (at most 3
 * items of a category in the first 10, a 10% exploration share, a sponsored slot that stays
 * organic because no campaign exists).
 */
export const EVAL_SURFACES = { off: 'notification', on: 'home' } as const satisfies Record<string, Surface>;

/**
 * Writes what serving reads besides items and users: the fallback lists, computed by the real
 * lists job from the catalog and user rows, and the `off` surface's rules through the admin
 * rule store (version 1).
 */
export async function prepareServing(doc: DynamoDBDocumentClient, prefix: string) {
  const lists = await refreshLists(dynamoListJobDeps(doc, prefix));
  await new RuleStore(doc, prefix).append({
    surface: EVAL_SURFACES.off,
    version: 1,
    rules: ruleSetSchema.parse({ max_items_per_category: 100 }),
    note: 'eval: diversity off',
    created_at: new Date().toISOString(),
    created_by: 'eval',
  });
  return { lists: lists.lists };
}
