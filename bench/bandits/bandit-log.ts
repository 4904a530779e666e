import { parseCsv } from '../../local/training/movielens';

/**
 * One logged decision. CSV format (header required, one decision per line):
 *
 *   ctx_<name>...,action,position,reward,propensity
 *
 * - `ctx_*` columns: context features (any number, categorical or numeric, read as text);
 * - `action`: the arm the logging policy chose;
 * - `position`: the slot it was shown in (0 = first); part of the context for the estimators;
 * - `reward`: the outcome in [0, 1] (1 = click);
 * - `propensity`: the probability the logging policy gave that action in that context, (0, 1].
 */
export interface LoggedDecision {
  readonly context: Readonly<Record<string, string>>;
  readonly action: string;
  readonly position: number;
  readonly reward: number;
  readonly propensity: number;
}

/** The context bucket a decision falls in: its features and position, as one key. */
export function bucketOf(d: LoggedDecision): string {
  const parts = Object.keys(d.context)
    .sort()
    .map((k) => `${k}=${d.context[k]}`);
  return [...parts, `position=${d.position}`].join('|');
}

/** Parses and validates a bandit log; throws with the line number on the first bad row. */
export function parseBanditLog(text: string): LoggedDecision[] {
  return parseCsv(text).map((row, i) => {
    const line = i + 2;
    const reward = Number(row.reward);
    const propensity = Number(row.propensity);
    const position = Number(row.position ?? 0);
    if (!row.action) throw new Error(`line ${line}: action is missing`);
    if (!(reward >= 0 && reward <= 1)) throw new Error(`line ${line}: reward must be in [0, 1]`);
    if (!(propensity > 0 && propensity <= 1)) throw new Error(`line ${line}: propensity must be in (0, 1]`);
    if (!Number.isInteger(position) || position < 0)
      throw new Error(`line ${line}: position must be a non-negative integer`);
    const context = Object.fromEntries(
      Object.entries(row)
        .filter(([k]) => k.startsWith('ctx_'))
        .map(([k, v]) => [k.slice(4), v]),
    );
    return { context, action: row.action, position, reward, propensity };
  });
}

/** Writes decisions in the CSV format `parseBanditLog` reads. */
export function formatBanditLog(rows: readonly LoggedDecision[]): string {
  const keys = [...new Set(rows.flatMap((r) => Object.keys(r.context)))].sort();
  const header = [...keys.map((k) => `ctx_${k}`), 'action', 'position', 'reward', 'propensity'].join(',');
  const lines = rows.map((r) =>
    [...keys.map((k) => r.context[k] ?? ''), r.action, r.position, r.reward, r.propensity].join(','),
  );
  return `${[header, ...lines].join('\n')}\n`;
}
