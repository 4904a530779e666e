import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Context } from 'hono';
import type { ContentEncoder } from '../../shared/ports/content-encoder';
import type { ItemCatalog } from '../../shared/ports/item-catalog';
import type { VectorIndex } from '../../shared/ports/vector-index';
import { DynamoUserPrefs } from '../adapters/dynamodb-user-prefs';
import { AuditLog } from './audit/store';
import { ApiKeyStore } from './auth/store';
import { CampaignStore } from './campaigns/store';
import { ExperimentStore } from './experiments/store';
import type { AdminEnv } from './http/env';
import { JobStore } from './jobs/store';
import { RuleStore } from './rules/store';
import { PosteriorStore } from './stats/posteriors';
import { CampaignIndex } from './users/campaign-index';
import type { EdgeCachePurger } from './users/edge-purger';

/** What the admin app is built from; everything external comes in here. */
export interface AdminDeps {
  readonly doc: DynamoDBDocumentClient;
  readonly prefix: string;
  readonly catalog: ItemCatalog;
  readonly encoder: ContentEncoder;
  /** Makes the ANN index campaign embeddings are searched in. */
  readonly newIndex: (dimensions: number) => VectorIndex;
  /** Indexes holding user vectors, cleaned when a user is deleted. @default [] */
  readonly userIndexes?: readonly VectorIndex[];
  readonly edgePurger?: EdgeCachePurger;
  /**
   * Runs a background job. Locally it runs after the response; a Lambda awaits it, because
   * the container may freeze once the response is sent. @default fire and forget
   */
  readonly runJob?: (job: () => Promise<void>) => Promise<void>;
  readonly now?: () => number;
}

/** The stores and helpers route modules share, built once per app. */
export function createAdminServices(deps: AdminDeps) {
  const now = deps.now ?? Date.now;
  const audit = new AuditLog(deps.doc, deps.prefix, now);
  const campaigns = new CampaignStore(deps.doc, deps.prefix);
  return {
    deps,
    now,
    audit,
    campaigns,
    keys: new ApiKeyStore(deps.doc, deps.prefix),
    rules: new RuleStore(deps.doc, deps.prefix),
    experiments: new ExperimentStore(deps.doc, deps.prefix),
    posteriors: new PosteriorStore(deps.doc, deps.prefix),
    prefs: new DynamoUserPrefs(deps.doc, deps.prefix),
    jobs: new JobStore(deps.doc, deps.prefix),
    campaignIndex: new CampaignIndex(campaigns, deps.newIndex, now),
    runJob:
      deps.runJob ??
      (async (job: () => Promise<void>) => {
        void job();
      }),
    /** Writes the audit record of a mutation made by the request's principal. */
    recordAudit: (c: Context<AdminEnv>, entity: string, action: string, before: unknown, after: unknown) =>
      audit.write({
        entity,
        action,
        actor: c.get('principal').keyId,
        role: c.get('principal').role,
        request_id: c.get('requestId'),
        before,
        after,
      }),
  };
}

export type AdminServices = ReturnType<typeof createAdminServices>;
