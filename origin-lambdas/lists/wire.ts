import { createDocumentClient } from '../common/aws-clients';
import type { ListsConfig } from './config';
import { dynamoListJobDeps, type ListJobOptions, type ListJobReport, refreshLists } from './job';

/** A list job bound to its configuration: one document client, reused by every run. */
export interface ListJobRunner {
  run(opts?: Pick<ListJobOptions, 'onProgress'>): Promise<ListJobReport>;
  /** Releases the client's sockets (for a CLI or a runner that is stopping). */
  close(): void;
}

/** Wires the list job to DynamoDB as `config` says (stand-in endpoint locally, the real service in AWS). */
export function listJobFor(config: ListsConfig): ListJobRunner {
  const doc = createDocumentClient({ endpoint: config.DYNAMODB_ENDPOINT, region: config.AWS_REGION });
  const deps = dynamoListJobDeps(doc, config.ATTUNE_TABLE_PREFIX);
  return {
    run: (opts = {}) =>
      refreshLists(deps, {
        ...opts,
        defaultCountries: config.ATTUNE_LISTS_COUNTRIES,
        windowMinutes: config.ATTUNE_LISTS_WINDOW_MINUTES,
      }),
    close: () => doc.destroy(),
  };
}
