import { z } from 'zod';

/**
 * The same object schema with top-level defaults removed. zod keeps defaults under `.partial()`,
 * which would make a PATCH that omits a field reset it; patches must only change what they name.
 */
export function withoutDefaults<T extends z.ZodObject<z.ZodRawShape>>(schema: T): T {
  const shape = Object.fromEntries(
    Object.entries(schema.shape).map(([k, v]) => [k, v instanceof z.ZodDefault ? v.unwrap() : v]),
  );
  return z.object(shape) as unknown as T;
}
