import { z } from 'zod';
import { MODALITIES } from '../ports/item-catalog';
import { DEVICES, type RecommendationQuery, SURFACES } from './recommendation';

const itemId = z.string().min(1).max(128);

/**
 * Body of `POST /v1/recommendations`: the same request as the query string, with context and
 * filters as nested objects and lists as arrays (what an app SDK sends).
 */
export const recommendationBodySchema = z
  .object({
    user_id: z.string().min(1).max(128).optional(),
    anonymous_id: z.string().min(1).max(128).optional(),
    surface: z.enum(SURFACES).default('home'),
    limit: z.number().int().min(1).max(100).default(20),
    exclude: z.array(itemId).max(200).default([]),
    explain: z.boolean().default(false),
    context: z
      .object({
        device: z.enum(DEVICES).optional(),
        locale: z.string().min(2).max(35).optional(),
        country: z
          .string()
          .regex(/^[A-Za-z]{2}$/, 'ISO 3166-1 alpha-2 country code')
          .transform((c) => c.toUpperCase())
          .optional(),
        current_item: itemId.optional(),
        session_items: z.array(itemId).max(50).default([]),
      })
      .strict()
      .default({ session_items: [] }),
    filters: z
      .object({
        categories: z.array(z.string().min(1).max(64)).max(50).default([]),
        modalities: z.array(z.enum(MODALITIES)).max(4).default([]),
        price: z
          .object({ min: z.number().min(0).optional(), max: z.number().min(0).optional() })
          .strict()
          .refine((p) => p.min === undefined || p.max === undefined || p.min <= p.max, {
            path: ['max'],
            message: 'must be at least min',
          })
          .optional(),
      })
      .strict()
      .default({ categories: [], modalities: [] }),
  })
  .strict()
  .refine((q) => q.user_id || q.anonymous_id, {
    path: ['user_id'],
    message: 'user_id or anonymous_id is required',
  });

export type RecommendationBody = z.infer<typeof recommendationBodySchema>;

/** The body in the query's normalized shape, so one funnel serves GET and POST. */
export function bodyToQuery(b: RecommendationBody): RecommendationQuery {
  return {
    ...(b.user_id ? { user_id: b.user_id } : {}),
    ...(b.anonymous_id ? { anonymous_id: b.anonymous_id } : {}),
    surface: b.surface,
    limit: b.limit,
    exclude: b.exclude,
    explain: b.explain,
    candidates: false,
    categories: b.filters.categories,
    modalities: b.filters.modalities,
    ...(b.filters.price?.min !== undefined ? { price_min: b.filters.price.min } : {}),
    ...(b.filters.price?.max !== undefined ? { price_max: b.filters.price.max } : {}),
    ...(b.context.country ? { country: b.context.country } : {}),
    ...(b.context.device ? { device: b.context.device } : {}),
    ...(b.context.locale ? { locale: b.context.locale } : {}),
    ...(b.context.current_item ? { item_id: b.context.current_item } : {}),
    session_items: b.context.session_items,
  };
}
