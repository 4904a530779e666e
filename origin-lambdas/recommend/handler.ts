import { handle } from 'hono/aws-lambda';
import { loadOriginConfig } from '../common/config';
import { createOriginRuntime } from '../common/runtime';
import { recommendAppFor } from './wire';

/** Lambda entry (Function URL / HTTP API payload v2). Config is checked once, at cold start. */
export const handler = handle(recommendAppFor(createOriginRuntime(loadOriginConfig())));
