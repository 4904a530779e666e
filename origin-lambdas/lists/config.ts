import { z } from 'zod';
import { parseConfig } from '../common/config';
import { LIST_DEFAULTS } from './compute';

const countries = z
  .string()
  .transform((s) =>
    s
      .split(',')
      .map((c) => c.trim().toUpperCase())
      .filter(Boolean),
  )
  .pipe(z.array(z.string().regex(/^[A-Z]{2}$/, 'ISO 3166-1 alpha-2 codes, comma separated')));

/** The list job's configuration; the same variables in Lambda, the local runner and the CLI. */
export const listsConfigSchema = z.object({
  ATTUNE_TABLE_PREFIX: z.string().min(1).default('attune-local'),
  AWS_REGION: z.string().min(1).default('us-east-1'),
  /** Stand-in endpoint; absent in AWS. */
  DYNAMODB_ENDPOINT: z.url().optional(),
  /** Countries that always get a popular list, besides those named in item regions. */
  ATTUNE_LISTS_COUNTRIES: countries.default(() => [...LIST_DEFAULTS.defaultCountries]),
  /** Trailing window of the trending term, in minutes (the trending table keeps 48 h). */
  ATTUNE_LISTS_WINDOW_MINUTES: z.coerce
    .number()
    .int()
    .min(5)
    .max(48 * 60)
    .default(LIST_DEFAULTS.windowMinutes),
});

export type ListsConfig = z.infer<typeof listsConfigSchema>;

export function loadListsConfig(env: Record<string, string | undefined> = process.env): ListsConfig {
  return parseConfig(listsConfigSchema, env);
}
