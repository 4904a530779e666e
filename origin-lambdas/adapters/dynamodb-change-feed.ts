import { BatchGetCommand, type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { tableName } from '../../shared/tables';
import type { ChangeFeed, ChangeStream } from '../../stream-handlers/common/change-feed';
import { bucketOf, bucketsInWindow, epochSeconds } from '../../stream-handlers/common/time-bucket';

export interface ChangeFeedOptions {
  /** Bucket width; the edge reads the buckets since its last poll. @default 10000 */
  readonly bucketMs?: number;
  /** How long a bucket lives. @default 3600000 (1 hour) */
  readonly retentionMs?: number;
}

/**
 * ChangeFeed on the `changes` table: one item per (stream, 10-second bucket) holding a string set
 * of ids. A batch publishes with one `ADD ids :set`, so the signal costs one write per batch and
 * the edge one BatchGet per poll, however many users changed.
 */
export class DynamoChangeFeed implements ChangeFeed {
  private readonly table: string;
  private readonly bucketMs: number;
  private readonly retentionMs: number;

  constructor(
    private readonly doc: DynamoDBDocumentClient,
    prefix: string,
    opts: ChangeFeedOptions = {},
  ) {
    this.table = tableName(prefix, 'changes');
    this.bucketMs = opts.bucketMs ?? 10_000;
    this.retentionMs = opts.retentionMs ?? 3_600_000;
  }

  async publish(stream: ChangeStream, ids: readonly string[], at = Date.now()): Promise<void> {
    if (ids.length === 0) return;
    await this.doc.send(
      new UpdateCommand({
        TableName: this.table,
        Key: { stream, bucket: bucketOf(at, this.bucketMs) },
        UpdateExpression: 'ADD ids :ids SET changed_at = :at, expires_at = :exp',
        ExpressionAttributeValues: {
          ':ids': new Set(ids),
          ':at': new Date(at).toISOString(),
          ':exp': epochSeconds(at + this.retentionMs),
        },
      }),
    );
  }

  async changedSince(
    stream: ChangeStream,
    sinceMs: number,
    now = Date.now(),
  ): Promise<{ ids: string[]; until: number }> {
    const window = Math.min(Math.max(now - sinceMs, 0), this.retentionMs);
    const buckets = bucketsInWindow(now, window + this.bucketMs, this.bucketMs);
    const ids = new Set<string>();
    for (let i = 0; i < buckets.length; i += 100) {
      const keys = buckets.slice(i, i + 100).map((bucket) => ({ stream, bucket }));
      const out = await this.doc.send(
        new BatchGetCommand({ RequestItems: { [this.table]: { Keys: keys, ConsistentRead: true } } }),
      );
      for (const item of out.Responses?.[this.table] ?? [])
        for (const id of (item.ids as Set<string> | undefined) ?? []) ids.add(id);
    }
    return { ids: [...ids].sort(), until: Math.floor(now / this.bucketMs) * this.bucketMs };
  }
}
