import { z } from 'zod';

/** Every interaction type the platform understands; `hide` and `skip` are negative signals. */
export const EVENT_TYPES = [
  'impression',
  'view',
  'click',
  'add_to_cart',
  'purchase',
  'rating',
  'dwell',
  'skip',
  'share',
  'hide',
  'campaign_view',
  'campaign_click',
  'notification_open',
] as const;

export type EventType = (typeof EVENT_TYPES)[number];

/** Bounds that keep one event small and its clock honest. */
export const EVENT_LIMITS = {
  idLength: 128,
  textLength: 2000,
  maxPastMs: 7 * 24 * 3600 * 1000,
  maxFutureMs: 5 * 60 * 1000,
  maxBatch: 500,
  maxBodyBytes: 1024 * 1024,
} as const;

const id = z.string().min(1).max(EVENT_LIMITS.idLength);

export const eventContextSchema = z
  .object({
    device: z.enum(['desktop', 'mobile', 'tablet', 'tv', 'other']).optional(),
    locale: z.string().max(35).optional(),
    country: z
      .string()
      .regex(/^[A-Z]{2}$/, 'ISO 3166-1 alpha-2, upper case')
      .optional(),
    daypart: z.enum(['morning', 'afternoon', 'evening', 'night']).optional(),
    referrer: z.string().max(512).optional(),
  })
  .strict();

const baseEventSchema = z
  .object({
    event_id: z.uuid(),
    user_id: id.optional(),
    anonymous_id: id.optional(),
    session_id: id,
    type: z.enum(EVENT_TYPES),
    item_id: id.optional(),
    campaign_id: id.optional(),
    surface: z.string().min(1).max(64).optional(),
    position: z.number().int().min(0).max(10_000).optional(),
    decision_id: id.optional(),
    context: eventContextSchema.optional(),
    ts: z.iso.datetime({ offset: true }),
    dwell_ms: z
      .number()
      .int()
      .min(0)
      .max(24 * 3600 * 1000)
      .optional(),
    rating: z.number().min(0).max(5).optional(),
    value: z.number().min(0).max(1_000_000).optional(),
    text: z.string().max(EVENT_LIMITS.textLength).optional(),
  })
  .strict();

/**
 * Builds the event schema against a clock, so tests can pin "now" and the time-window
 * rule stays a pure function of its inputs.
 */
export function makeEventSchema(now: () => number = Date.now) {
  return baseEventSchema.superRefine((e, ctx) => {
    if (!e.user_id && !e.anonymous_id) {
      ctx.addIssue({ code: 'custom', path: ['user_id'], message: 'user_id or anonymous_id is required' });
    }
    const campaignType = e.type === 'campaign_view' || e.type === 'campaign_click';
    if (campaignType && !e.campaign_id) {
      ctx.addIssue({
        code: 'custom',
        path: ['campaign_id'],
        message: `campaign_id is required for ${e.type}`,
      });
    }
    if (!campaignType && e.type !== 'notification_open' && !e.item_id) {
      ctx.addIssue({ code: 'custom', path: ['item_id'], message: `item_id is required for ${e.type}` });
    }
    if (e.type === 'rating' && e.rating === undefined) {
      ctx.addIssue({ code: 'custom', path: ['rating'], message: 'rating is required for rating events' });
    }
    const at = Date.parse(e.ts);
    const t = now();
    if (at > t + EVENT_LIMITS.maxFutureMs) {
      ctx.addIssue({ code: 'custom', path: ['ts'], message: 'ts is too far in the future' });
    } else if (at < t - EVENT_LIMITS.maxPastMs) {
      ctx.addIssue({ code: 'custom', path: ['ts'], message: 'ts is too far in the past' });
    }
  });
}

export const eventSchema = makeEventSchema();

/** An event as a client sends it. */
export type AttuneEvent = z.infer<typeof baseEventSchema>;

/**
 * An event as it travels on the stream: the server adds when it received it. No clock rule
 * here: a replay days later must decode the same records it decoded the first time.
 */
export const streamEventSchema = baseEventSchema.extend({ received_at: z.iso.datetime({ offset: true }) });

export type StreamEvent = z.infer<typeof streamEventSchema>;

/** The stream's partition key: one user's events stay on one shard, in order. */
export function partitionKeyOf(e: Pick<AttuneEvent, 'user_id' | 'anonymous_id'>): string {
  return e.user_id ?? `anon:${e.anonymous_id}`;
}

/** Identity whose state an event updates (user id, or the anonymous id with a prefix). */
export const subjectOf = partitionKeyOf;
