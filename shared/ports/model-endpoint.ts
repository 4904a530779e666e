import type { RankingRequest, RankingResponse } from '../schemas/ranking';
import type { DependencyHealth } from './event-stream';

/** Port: the ranking model endpoint (SageMaker in production, the local model server here). */
export interface ModelEndpoint {
  rank(request: RankingRequest, options?: { timeoutMs?: number }): Promise<RankingResponse>;
  health(): Promise<DependencyHealth>;
}
