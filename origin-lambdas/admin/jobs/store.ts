import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { tableName } from '../../../shared/tables';

export type JobState = 'pending' | 'running' | 'succeeded' | 'failed';

/** A background job; `subject` is a hash, never the user id, so the record outlives the user. */
export interface JobRecord {
  readonly job_id: string;
  readonly kind: 'user-deletion';
  readonly subject_hash: string;
  readonly state: JobState;
  readonly created_at: string;
  readonly finished_at?: string;
  /** What each step removed, e.g. `{ users: 4, lists: 1, edge: 'purged' }`. */
  readonly steps?: Record<string, number | string>;
  readonly error?: string;
  readonly expires_at: number;
}

/** Jobs on the `admin-jobs` table, kept 30 days. */
export class JobStore {
  private readonly table: string;
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    prefix: string,
  ) {
    this.table = tableName(prefix, 'adminJobs');
  }

  async create(job: JobRecord): Promise<void> {
    await this.doc.send(new PutCommand({ TableName: this.table, Item: job }));
  }

  async get(jobId: string): Promise<JobRecord | undefined> {
    const out = await this.doc.send(
      new GetCommand({ TableName: this.table, Key: { job_id: jobId }, ConsistentRead: true }),
    );
    return out.Item as JobRecord | undefined;
  }

  async finish(
    jobId: string,
    patch: Pick<JobRecord, 'state' | 'finished_at' | 'steps' | 'error'>,
  ): Promise<void> {
    const entries = Object.entries(patch).filter(([, v]) => v !== undefined);
    await this.doc.send(
      new UpdateCommand({
        TableName: this.table,
        Key: { job_id: jobId },
        UpdateExpression: `SET ${entries.map((_, i) => `#k${i} = :v${i}`).join(', ')}`,
        ExpressionAttributeNames: Object.fromEntries(entries.map(([k], i) => [`#k${i}`, k])),
        ExpressionAttributeValues: Object.fromEntries(entries.map(([, v], i) => [`:v${i}`, v])),
      }),
    );
  }
}
