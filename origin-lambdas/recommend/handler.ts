import { handle } from 'hono/aws-lambda';
import { loadOriginConfig } from '../common/config';
import { LAMBDA_ADAPTERS } from '../common/lambda-adapters';
import { createOriginRuntime } from '../common/runtime';
import { recommendAppFor } from './wire';

/**
 * Lambda entry (Function URL / HTTP API payload v2). Config is checked once, at cold start. The
 * CPU fallback of the ranker is the portable evaluator (no native modules in the bundle).
 */
export const handler = handle(recommendAppFor(createOriginRuntime(loadOriginConfig(), LAMBDA_ADAPTERS)));
