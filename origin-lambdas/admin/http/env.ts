import type { RequestIdVariables } from '../../common/request-id';
import type { Principal } from '../auth/roles';

/** Hono generics for the admin app: the request id and, once authenticated, the principal. */
export interface AdminEnv {
  Variables: RequestIdVariables & { principal: Principal };
}
