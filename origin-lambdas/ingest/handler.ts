import { handle } from 'hono/aws-lambda';
import { loadOriginConfig } from '../common/config';
import { createOriginRuntime } from '../common/runtime';
import { ingestAppFor } from './wire';

export const handler = handle(ingestAppFor(createOriginRuntime(loadOriginConfig())));
