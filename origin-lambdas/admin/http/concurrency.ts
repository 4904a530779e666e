import type { Context } from 'hono';
import { ClientError } from '../../common/errors';

/** The version a client must send back in `If-Match` to update what it read. */
export const etag = (version: number) => `"${version}"`;

/**
 * The version named by `If-Match`. Updates without it are refused with 428 so that no client
 * can overwrite a change it never saw.
 */
export function requireIfMatch(c: Context): number {
  const raw = c.req.header('if-match');
  if (!raw) throw new ClientError(428, 'Precondition required', 'send If-Match with the version you read');
  const m = /^(?:W\/)?"?(\d+)"?$/.exec(raw.trim());
  if (!m) throw new ClientError(400, 'Invalid If-Match', 'If-Match must be a version such as "3"');
  return Number(m[1]);
}

/** Thrown by stores when the stored version no longer matches the one the client read. */
export const staleVersion = (entity: string) =>
  new ClientError(409, 'Version conflict', `${entity} changed since you read it; read it again and retry`);

export const notFound = (entity: string) => new ClientError(404, 'Not found', `${entity} does not exist`);

/** JSON with the entity's ETag, for reads and writes of versioned entities. */
export function versioned<T extends { version: number }>(c: Context, body: T, status: 200 | 201 = 200) {
  c.header('etag', etag(body.version));
  return c.json(body, status);
}
