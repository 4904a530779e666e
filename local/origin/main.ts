import { serve } from '@hono/node-server';
import { createAdminApp } from '../../origin-lambdas/admin/app';
import { loadOriginConfig } from '../../origin-lambdas/common/config';
import { createOriginRuntime } from '../../origin-lambdas/common/runtime';
import { exitWithParent } from '../supervisor/exit-with-parent';
import { createLocalOriginApp } from './origin-app';

exitWithParent();

// Serves the origin Lambdas' apps on 127.0.0.1. Ports come from ORIGIN_PORT and ADMIN_PORT.
const rt = createOriginRuntime(loadOriginConfig());
const originPort = Number(process.env.ORIGIN_PORT ?? 8790);
const adminPort = Number(process.env.ADMIN_PORT ?? 8791);
const origin = serve({ fetch: createLocalOriginApp(rt).fetch, port: originPort, hostname: '127.0.0.1' }, () =>
  console.log(`origin listening on http://127.0.0.1:${originPort}`),
);
const admin = serve(
  {
    fetch: createAdminApp({ dynamodb: () => rt.catalog().health() }).fetch,
    port: adminPort,
    hostname: '127.0.0.1',
  },
  () => console.log(`admin listening on http://127.0.0.1:${adminPort}`),
);
const stop = () => {
  origin.close();
  admin.close();
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
