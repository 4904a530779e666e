import type { EdgeConfig } from './config';

/** Hono generics for the Worker: generated bindings plus what middleware puts on the context. */
export interface AppEnv {
  Bindings: Env;
  Variables: {
    requestId: string;
    config: EdgeConfig;
  };
}
