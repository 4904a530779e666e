import { z } from 'zod';
import { SURFACES } from '../../../shared/schemas/recommendation';

const id = z.string().min(1).max(128);

/** Re-ranking rules for one surface. */
export const ruleSetSchema = z
  .object({
    max_items_per_category: z.number().int().min(1).max(100).optional(),
    /** 0-based positions reserved for sponsored items. */
    sponsored_positions: z.array(z.number().int().min(0).max(99)).max(10).default([]),
    /** Multiplicative boost for new items, 0 = none. */
    freshness_boost: z.number().min(0).max(5).default(0),
    freshness_half_life_days: z.number().positive().max(365).default(7),
    pinned_items: z
      .array(z.object({ item_id: id, position: z.number().int().min(0).max(99) }))
      .max(20)
      .default([]),
    blocked_categories: z.array(z.string().min(1).max(64)).max(200).default([]),
    blocked_items: z.array(id).max(1000).default([]),
  })
  .refine((r) => new Set(r.pinned_items.map((p) => p.position)).size === r.pinned_items.length, {
    path: ['pinned_items'],
    message: 'two pinned items share a position',
  })
  .refine((r) => !r.pinned_items.some((p) => r.blocked_items.includes(p.item_id)), {
    path: ['pinned_items'],
    message: 'a pinned item is also blocked',
  });

export const surfaceParams = z.object({ surface: z.enum(SURFACES) });

export const ruleWriteSchema = z.object({ rules: ruleSetSchema, note: z.string().max(500).optional() });

/** One stored version; versions are immutable, the highest is current. */
export const ruleVersionSchema = z.object({
  surface: z.string(),
  version: z.number().int().min(1),
  rules: ruleSetSchema,
  note: z.string().optional(),
  rolled_back_from: z.number().int().optional(),
  created_at: z.string(),
  created_by: z.string(),
});

export type RuleVersion = z.infer<typeof ruleVersionSchema>;
