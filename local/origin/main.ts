import { serve } from '@hono/node-server';
import { UsearchVectorIndex } from '../../origin-lambdas/adapters/vector/usearch-index';
import { sweepCampaignStatuses } from '../../origin-lambdas/admin/campaigns/sweep';
import { adminAppFor } from '../../origin-lambdas/admin/wire';
import { loadOriginConfig } from '../../origin-lambdas/common/config';
import { NATIVE_ADAPTERS } from '../../origin-lambdas/common/native-adapters';
import { createOriginRuntime } from '../../origin-lambdas/common/runtime';
import { exitWithParent } from '../supervisor/exit-with-parent';
import { createLocalOriginApp } from './origin-app';

exitWithParent();

// Serves the origin Lambdas' apps on 127.0.0.1. Ports come from ORIGIN_PORT and ADMIN_PORT.
const rt = createOriginRuntime(loadOriginConfig(), NATIVE_ADAPTERS);
const originPort = Number(process.env.ORIGIN_PORT ?? 8790);
const adminPort = Number(process.env.ADMIN_PORT ?? 8791);
const origin = serve({ fetch: createLocalOriginApp(rt).fetch, port: originPort, hostname: '127.0.0.1' }, () =>
  console.log(`origin listening on http://127.0.0.1:${originPort}`),
);
const adminApp = adminAppFor(rt, { newIndex: (dimensions) => new UsearchVectorIndex({ dimensions }) });
// Locally a timer stands in for the scheduled sweep that persists schedule-driven status.
const sweep = setInterval(() => {
  sweepCampaignStatuses(adminApp.services).catch((err) => console.error('campaign sweep failed', err));
}, 60_000);
sweep.unref();
const admin = serve(
  {
    fetch: adminApp.fetch,
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
