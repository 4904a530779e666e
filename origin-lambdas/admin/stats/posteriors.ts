import {
  BatchGetCommand,
  type DynamoDBDocumentClient,
  PutCommand,
  QueryCommand,
} from '@aws-sdk/lib-dynamodb';
import { tableName } from '../../../shared/tables';
import type { BetaPosterior } from './beta';

/**
 * One row of the `posteriors` table as the stats read it, as the bandit-posteriors stream handler
 * writes it: `impressions`, `rewards` (clicks), and `alpha`/`beta` as rewarded and unrewarded
 * decision counts without the prior (readers add it).
 */
export interface PosteriorRow {
  readonly arm_id: string;
  /** Context bucket, e.g. `all` or `surface=home|device=mobile`. */
  readonly context: string;
  readonly alpha?: number;
  readonly beta?: number;
  readonly impressions?: number;
  readonly rewards?: number;
  /** Accepted as a synonym of `rewards`. */
  readonly clicks?: number;
  readonly conversions?: number;
}

/** Arm ids the admin API reads: one per campaign, one per experiment variant. */
export const ARM_IDS = {
  campaign: (campaignId: string) => `campaign:${campaignId}`,
  variant: (experimentId: string, variant: string) => `experiment:${experimentId}:${variant}`,
};

/** The context bucket that pools every context (the stream handler's `*`). */
export const ALL_CONTEXTS = '*';

/** Clicks (rewards) of a row, never more than its impressions. */
export const clicksOf = (row: PosteriorRow | undefined): number =>
  Math.min(row?.rewards ?? row?.clicks ?? 0, row?.impressions ?? Number.POSITIVE_INFINITY);

/** Beta posterior of a row under a prior. */
export function posteriorOf(row: PosteriorRow | undefined, prior: BetaPosterior): BetaPosterior {
  if (row?.impressions !== undefined) {
    const clicks = clicksOf(row);
    return { alpha: prior.alpha + clicks, beta: prior.beta + row.impressions - clicks };
  }
  if (row?.alpha !== undefined && row.beta !== undefined)
    return { alpha: prior.alpha + row.alpha, beta: prior.beta + row.beta };
  return prior;
}

/** Reads (and, for seeding and tests, writes) the `posteriors` table. */
export class PosteriorStore {
  private readonly table: string;
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    prefix: string,
  ) {
    this.table = tableName(prefix, 'posteriors');
  }

  async put(row: PosteriorRow): Promise<void> {
    await this.doc.send(new PutCommand({ TableName: this.table, Item: row }));
  }

  /** Every context bucket of one arm. */
  async forArm(armId: string): Promise<PosteriorRow[]> {
    const rows: PosteriorRow[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const out = await this.doc.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: 'arm_id = :a',
          ExpressionAttributeValues: { ':a': armId },
          ExclusiveStartKey: start,
        }),
      );
      rows.push(...((out.Items ?? []) as PosteriorRow[]));
      start = out.LastEvaluatedKey;
    } while (start);
    return rows;
  }

  /** One context bucket of many arms, keyed by arm id. */
  async many(armIds: readonly string[], context: string): Promise<Map<string, PosteriorRow>> {
    const found = new Map<string, PosteriorRow>();
    const unique = [...new Set(armIds)];
    for (let i = 0; i < unique.length; i += 100) {
      let keys: Record<string, unknown>[] = unique.slice(i, i + 100).map((arm_id) => ({ arm_id, context }));
      for (let attempt = 0; keys.length && attempt < 8; attempt++) {
        const out = await this.doc.send(
          new BatchGetCommand({ RequestItems: { [this.table]: { Keys: keys } } }),
        );
        for (const row of out.Responses?.[this.table] ?? [])
          found.set(row.arm_id as string, row as PosteriorRow);
        keys = (out.UnprocessedKeys?.[this.table]?.Keys as Record<string, unknown>[] | undefined) ?? [];
      }
    }
    return found;
  }
}
