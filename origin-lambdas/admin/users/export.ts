import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { tableName } from '../../../shared/tables';
import { decodeVector } from '../../adapters/vector-codec';
import { assignVariant } from '../experiments/bucketing';
import type { AdminServices } from '../services';
import { userRows } from './profile';

// Binary attributes (float32 vectors) are exported as numbers so the export is plain JSON.
const plain = (row: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(row).map(([k, v]) => [k, v instanceof Uint8Array ? decodeVector(v) : v]));

/** Everything Attune holds about a user, as one JSON document (the right of access). */
export async function exportUser(s: AdminServices, userId: string) {
  const rows = await userRows(s.deps.doc, s.deps.prefix, userId);
  const lastGood = await s.deps.doc.send(
    new GetCommand({ TableName: tableName(s.deps.prefix, 'lists'), Key: { list_id: `last-good:${userId}` } }),
  );
  const audit = await s.audit.list(`user:${userId}`, 100);
  const experiments = (await s.experiments.list(100)).items
    .filter((e) => e.status === 'running')
    .map((e) => ({ experiment_id: e.experiment_id, variant: assignVariant(e, userId) ?? null }));
  return {
    user_id: userId,
    exported_at: new Date(s.now()).toISOString(),
    profile: rows.map(plain),
    lists: lastGood.Item ? [lastGood.Item] : [],
    experiments,
    audit: audit.items.map(({ expires_at: _e, ...r }) => r),
  };
}
