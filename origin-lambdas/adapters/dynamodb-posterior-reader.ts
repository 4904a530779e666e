import { BatchGetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { tableName } from '../../shared/tables';
import { ALL_CONTEXTS } from '../../stream-handlers/bandit-posteriors/attribution';

/** A Beta posterior with the Beta(1, 1) prior added, and how much data it rests on. */
export interface BetaPosterior {
  readonly arm_id: string;
  readonly context: string;
  readonly alpha: number;
  readonly beta: number;
  readonly impressions: number;
}

/**
 * Reads the posteriors the bandit-posteriors stream handler keeps. For each arm the context's own
 * posterior is used when it has at least `minImpressions`, else the pooled `*` one: a context seen
 * a few times says less than all contexts together.
 */
export class DynamoPosteriorReader {
  private readonly table: string;

  constructor(
    private readonly doc: DynamoDBDocumentClient,
    prefix: string,
  ) {
    this.table = tableName(prefix, 'posteriors');
  }

  async posteriors(
    armIds: readonly string[],
    context: string,
    { minImpressions = 20 }: { minImpressions?: number } = {},
  ): Promise<Map<string, BetaPosterior>> {
    // Asked for the pooled context itself (what serving does), an arm has one key, not two: a
    // BatchGet naming a key twice is refused whole.
    const keys = [...new Set(armIds)].flatMap((arm_id) =>
      context === ALL_CONTEXTS
        ? [{ arm_id, context }]
        : [
            { arm_id, context },
            { arm_id, context: ALL_CONTEXTS },
          ],
    );
    const rows = new Map<string, Record<string, unknown>>();
    for (let i = 0; i < keys.length; i += 100) {
      let pending: Record<string, unknown>[] = keys.slice(i, i + 100);
      for (let attempt = 0; pending.length && attempt < 8; attempt++) {
        const out = await this.doc.send(
          new BatchGetCommand({ RequestItems: { [this.table]: { Keys: pending } } }),
        );
        for (const r of out.Responses?.[this.table] ?? []) rows.set(`${r.arm_id}\u0000${r.context}`, r);
        pending = (out.UnprocessedKeys?.[this.table]?.Keys as Record<string, unknown>[] | undefined) ?? [];
      }
    }
    const result = new Map<string, BetaPosterior>();
    for (const arm of new Set(armIds)) {
      const own = rows.get(`${arm}\u0000${context}`);
      const row =
        own && Number(own.impressions ?? 0) >= minImpressions ? own : rows.get(`${arm}\u0000${ALL_CONTEXTS}`);
      result.set(arm, {
        arm_id: arm,
        context: row === own && own ? context : ALL_CONTEXTS,
        alpha: 1 + Math.max(0, Number(row?.alpha ?? 0)),
        beta: 1 + Math.max(0, Number(row?.beta ?? 0)),
        impressions: Number(row?.impressions ?? 0),
      });
    }
    return result;
  }
}
