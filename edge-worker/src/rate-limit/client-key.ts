import type { Context } from 'hono';
import { getCookie } from 'hono/cookie';
import { ANONYMOUS_ID_COOKIE } from '../recommend/subject';

const VALID_ID = /^[\w.:-]{1,128}$/;

/**
 * Whom a request counts against: the `user_id`, else the `anonymous_id` in the query, else the
 * `attune_aid` cookie, else the connecting IP. The prefixes keep an id equal to an IP apart.
 * Ids are client-supplied, so the per-location binding and the platform's own DDoS protection
 * remain the guard against a client that invents a new id per request.
 */
export function clientKey(c: Context): string {
  const user = c.req.query('user_id');
  if (user && VALID_ID.test(user)) return `user:${user}`;
  const anon = c.req.query('anonymous_id') ?? getCookie(c, ANONYMOUS_ID_COOKIE);
  if (anon && VALID_ID.test(anon)) return `anon:${anon}`;
  return `ip:${c.req.header('cf-connecting-ip') ?? 'unknown'}`;
}
