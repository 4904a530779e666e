import type { DynamoDBRecord } from 'aws-lambda';
import type { VectorIndex, VectorRecord } from '../../shared/ports/vector-index';
import { itemChangeOf } from './item-change';

/** The outcome of one batch: failures by sequence number, and counts to publish. */
export interface IndexReport {
  /** Error per failed sequence number; Lambda redelivers from the lowest. */
  readonly failures: Map<string, Error>;
  readonly counts: { readonly Upserted: number; readonly Removed: number; readonly Skipped: number };
}

/**
 * Applies a batch of items-table changes to the vector index with at most one bulk upsert and one
 * bulk delete. Within a batch the last change of an id wins (stream order is per item), so the two
 * calls never touch the same id. A record that does not decode fails alone; a failed bulk call
 * fails every record it carried, and Lambda retries them (upsert and delete by id are idempotent).
 */
export async function applyItemChanges(
  index: VectorIndex,
  records: readonly DynamoDBRecord[],
): Promise<IndexReport> {
  const failures = new Map<string, Error>();
  const latest = new Map<string, { upsert?: VectorRecord; seqs: string[] }>();
  let skipped = 0;
  for (const record of records) {
    const seq = sequenceOf(record);
    try {
      const change = itemChangeOf(record, index.dimensions);
      if (change.op === 'skip') {
        skipped++;
        continue;
      }
      const id = change.op === 'upsert' ? change.entry.record.id : change.id;
      const seqs = [...(latest.get(id)?.seqs ?? []), seq];
      latest.set(id, change.op === 'upsert' ? { upsert: change.entry.record, seqs } : { seqs });
    } catch (err) {
      failures.set(seq, err as Error);
    }
  }
  const upserts = [...latest.values()].filter((c) => c.upsert);
  const removes = [...latest].filter(([, c]) => !c.upsert);
  const run = async (seqs: string[], call: () => Promise<void>) => {
    try {
      await call();
    } catch (err) {
      for (const seq of seqs) failures.set(seq, err as Error);
    }
  };
  if (upserts.length)
    await run(
      upserts.flatMap((c) => c.seqs),
      () => index.upsert(upserts.map((c) => c.upsert as VectorRecord)),
    );
  if (removes.length)
    await run(
      removes.flatMap(([, c]) => c.seqs),
      () => index.remove(removes.map(([id]) => id)),
    );
  const failed = (seqs: string[]) => seqs.some((s) => failures.has(s));
  return {
    failures,
    counts: {
      Upserted: upserts.filter((c) => !failed(c.seqs)).length,
      Removed: removes.filter(([, c]) => !failed(c.seqs)).length,
      Skipped: skipped,
    },
  };
}

/** The id Powertools reports a DynamoDB Streams record failure by. */
export function sequenceOf(record: DynamoDBRecord): string {
  return record.dynamodb?.SequenceNumber ?? '';
}
