import { z } from 'zod';
import { SURFACES } from '../../shared/schemas/recommendation';

/** Path parameters of `GET /v1/items/{id}/related`. */
export const relatedParamsSchema = z.object({
  id: z.string().min(1).max(128),
});

/** Query of `GET /v1/items/{id}/related`; unknown keys are rejected so cache keys stay canonical. */
export const relatedQuerySchema = z
  .object({
    limit: z.coerce.number().int().min(1).max(50).default(10),
    /** Personalizes the blend (and makes the answer private). */
    user_id: z.string().min(1).max(128).optional(),
    surface: z.enum(SURFACES).optional(),
  })
  .strict();

export type RelatedQuery = z.infer<typeof relatedQuerySchema>;
