import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';

/**
 * One logger and one metrics emitter per runtime, with a fixed service name. Metrics go out
 * as CloudWatch EMF in the log stream, so there is no agent or API call on the hot path.
 */
export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'attune-origin' });

export const metrics = new Metrics({
  namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'Attune',
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'attune-origin',
});
