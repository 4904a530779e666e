import { createHash, randomUUID } from 'node:crypto';
import { BatchWriteCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { tableName } from '../../../shared/tables';
import { logger } from '../../common/observability';
import type { JobRecord } from '../jobs/store';
import type { AdminServices } from '../services';
import { userRows } from './profile';

/** Jobs are kept 30 days for whoever asks about them. */
const JOB_RETENTION_SECONDS = 30 * 86_400;

export const subjectHash = (userId: string) =>
  createHash('sha256').update(`attune-user:${userId}`).digest('hex');

async function deleteKeys(s: AdminServices, table: string, keys: Record<string, unknown>[]): Promise<number> {
  for (let i = 0; i < keys.length; i += 25) {
    let pending: Record<string, unknown>[] = keys.slice(i, i + 25).map((Key) => ({ DeleteRequest: { Key } }));
    for (let attempt = 0; pending.length && attempt < 8; attempt++) {
      const out = await s.deps.doc.send(
        new BatchWriteCommand({ RequestItems: { [table]: pending as never } }),
      );
      pending = (out.UnprocessedItems?.[table] as Record<string, unknown>[] | undefined) ?? [];
    }
    if (pending.length) throw new Error(`${pending.length} deletes left unprocessed in ${table}`);
  }
  return keys.length;
}

/** Per-user lists (`<kind>:<user>` or `<kind>:<user>:<surface>`): a user id must be a whole segment. */
async function userListIds(s: AdminServices, userId: string): Promise<string[]> {
  const ids: string[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const out = await s.deps.doc.send(
      new ScanCommand({
        TableName: tableName(s.deps.prefix, 'lists'),
        ProjectionExpression: 'list_id',
        FilterExpression: 'contains(list_id, :u)',
        ExpressionAttributeValues: { ':u': userId },
        ExclusiveStartKey: start,
      }),
    );
    for (const row of out.Items ?? [])
      if (String(row.list_id).split(':').includes(userId)) ids.push(String(row.list_id));
    start = out.LastEvaluatedKey;
  } while (start);
  return ids;
}

/**
 * Removes everything Attune holds about a user: the whole `users` partition (state, prefs,
 * sessions, cap counters), per-user lists, the user's audit history, vector index entries and
 * the edge's cached lists. Returns what each step removed.
 */
export async function deleteUserEverywhere(
  s: AdminServices,
  userId: string,
): Promise<Record<string, number | string>> {
  const rows = await userRows(s.deps.doc, s.deps.prefix, userId);
  const users = await deleteKeys(
    s,
    tableName(s.deps.prefix, 'users'),
    rows.map((r) => ({ user_id: r.user_id, facet: r.facet })),
  );
  const listIds = await userListIds(s, userId);
  const lists = await deleteKeys(
    s,
    tableName(s.deps.prefix, 'lists'),
    listIds.map((list_id) => ({ list_id })),
  );
  const audit = await s.audit.purge(`user:${userId}`);
  for (const index of s.deps.userIndexes ?? []) await index.remove([userId]);
  const edge = s.deps.edgePurger ? await s.deps.edgePurger.purgeUser(userId) : 'not configured';
  return { users, lists, audit, vector_indexes: s.deps.userIndexes?.length ?? 0, edge };
}

/** Records a deletion job, runs it through the job runner and returns the job at once. */
export async function startUserDeletion(s: AdminServices, userId: string): Promise<JobRecord> {
  const now = s.now();
  const job: JobRecord = {
    job_id: randomUUID(),
    kind: 'user-deletion',
    subject_hash: subjectHash(userId),
    state: 'running',
    created_at: new Date(now).toISOString(),
    expires_at: Math.floor(now / 1000) + JOB_RETENTION_SECONDS,
  };
  await s.jobs.create(job);
  const run = async () => {
    try {
      const steps = await deleteUserEverywhere(s, userId);
      await s.jobs.finish(job.job_id, {
        state: 'succeeded',
        steps,
        finished_at: new Date(s.now()).toISOString(),
      });
    } catch (err) {
      logger.error('user deletion failed', { job_id: job.job_id, error: err as Error });
      await s.jobs.finish(job.job_id, {
        state: 'failed',
        error: (err as Error).message,
        finished_at: new Date(s.now()).toISOString(),
      });
    }
  };
  await s.runJob(run);
  return job;
}
