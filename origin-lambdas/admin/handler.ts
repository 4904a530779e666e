import { handle } from 'hono/aws-lambda';
import { loadOriginConfig } from '../common/config';
import { createOriginRuntime } from '../common/runtime';
import { sweepCampaignStatuses } from './campaigns/sweep';
import { adminAppFor } from './wire';

const rt = createOriginRuntime(loadOriginConfig());
// A Lambda container may freeze once it answers, so background jobs finish before the response.
const app = adminAppFor(rt, { runJob: (job) => job() });

export const handler = handle(app);

/** Entry point for a scheduled rule (e.g. every minute): persists schedule-driven campaign status. */
export const sweep = () => sweepCampaignStatuses(app.services);
