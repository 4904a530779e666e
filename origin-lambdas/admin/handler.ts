import { handle } from 'hono/aws-lambda';
import { loadOriginConfig } from '../common/config';
import { createOriginRuntime } from '../common/runtime';
import { createAdminApp } from './app';

const rt = createOriginRuntime(loadOriginConfig());
export const handler = handle(createAdminApp({ dynamodb: () => rt.catalog().health() }));
