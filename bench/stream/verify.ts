import { type DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { unpackStateRows } from '../../origin-lambdas/adapters/user-state-row';
import { type TableKey, tableName } from '../../shared/tables';
import { ALL_CONTEXTS } from '../../stream-handlers/bandit-posteriors/attribution';
import { TRENDING } from '../../stream-handlers/trending/counts';
import type { Truth } from './truth';

/** Every item of a table, for verification and before/after snapshots. */
export async function scanAll(doc: DynamoDBDocumentClient, prefix: string, key: TableKey) {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const out = await doc.send(
      new ScanCommand({ TableName: tableName(prefix, key), ExclusiveStartKey: start, ConsistentRead: true }),
    );
    items.push(...(out.Items ?? []));
    start = out.LastEvaluatedKey;
  } while (start);
  return items;
}

/** A stable text of the handler-written tables, to prove a replay changes nothing. */
export async function snapshot(doc: DynamoDBDocumentClient, prefix: string): Promise<string> {
  const parts = await Promise.all(
    (['users', 'posteriors', 'trending'] as const).map(async (k) => {
      const rows = (await scanAll(doc, prefix, k)).map((r) => JSON.stringify(r, Object.keys(r).sort()));
      return rows.sort().join('\n');
    }),
  );
  return parts.join('\n---\n');
}

export interface Verdict {
  lost: number;
  double_applied: number;
  /** Where the counts disagree, per store. */
  detail: Record<string, { lost: number; double: number }>;
}

/** Compares every store with the ground truth: too little is lost, too much is double applied. */
export async function verify(doc: DynamoDBDocumentClient, prefix: string, truth: Truth): Promise<Verdict> {
  const detail: Verdict['detail'] = {};
  const tally = (store: string, expected: number, actual: number) => {
    const d = detail[store] ?? { lost: 0, double: 0 };
    detail[store] = d;
    d.lost += Math.max(0, expected - actual);
    d.double += Math.max(0, actual - expected);
  };
  const users = unpackStateRows(await scanAll(doc, prefix, 'users'));
  const state = new Map<string, number>();
  const sessions = new Map<string, number>();
  for (const r of users) {
    if (r.facet !== 'state') continue;
    state.set(String(r.user_id), Number(r.event_count));
    const rowSessions = (r.sessions ?? {}) as Record<string, { event_count: number }>;
    for (const [id, s] of Object.entries(rowSessions)) sessions.set(`${r.user_id}|${id}`, s.event_count);
  }
  for (const [u, n] of truth.perUser) tally('user_state', n, state.get(u) ?? 0);
  for (const [s, n] of truth.perSession) tally('sessions', n, sessions.get(s) ?? 0);
  const arms = new Map(
    (await scanAll(doc, prefix, 'posteriors'))
      .filter((r) => r.context === ALL_CONTEXTS)
      .map((r) => [String(r.arm_id), r]),
  );
  for (const [arm, t] of truth.perArm) {
    const row = arms.get(arm);
    tally('posteriors', t.impressions, Number(row?.impressions ?? 0));
    tally('posteriors', t.rewards, Number(row?.rewards ?? 0));
  }
  const globalRows = (await scanAll(doc, prefix, 'trending')).filter((r) => r.scope === TRENDING.globalScope);
  tally(
    'trending',
    truth.events,
    globalRows.reduce((n, r) => n + Number(r.events ?? 0), 0),
  );
  const sum = (k: 'lost' | 'double') => Object.values(detail).reduce((n, d) => n + d[k], 0);
  return { lost: sum('lost'), double_applied: sum('double'), detail };
}
