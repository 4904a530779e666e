import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type {
  AddOutcome,
  CounterStore,
  CounterWrite,
  Fence,
  FencedWrite,
  ShardLedger,
} from '../../stream-handlers/common/counter-store';
import { padSequence } from '../../stream-handlers/common/sequence';
import { type TransactOptions, transactWriteEach } from './dynamodb-transact';

const DIGEST = 12;
const splitDigests = (v: unknown): string[] => {
  if (Array.isArray(v)) return v as string[];
  const text = typeof v === 'string' ? v : '';
  return Array.from({ length: Math.floor(text.length / DIGEST) }, (_, i) =>
    text.slice(i * DIGEST, (i + 1) * DIGEST),
  );
};

/** Where a counter table keeps its per-shard ledger rows. */
export type LedgerKey = (shardId: string) => Record<string, string>;

// Shard ids are like `shardId-000000000000`; attribute names may hold any UTF-8, but keep them tame.
const watermarkAttr = (shardId: string) => `wm_${shardId.replace(/[^A-Za-z0-9_-]/g, '_')}`;
const unpad = (stored: string) => stored.replace(/^0+(?=\d)/, '');
const keyId = (key: Readonly<Record<string, string>>) =>
  JSON.stringify(Object.entries(key).sort(([a], [b]) => a.localeCompare(b)));

/**
 * CounterStore on one DynamoDB table (posteriors or trending). Each counter update is one
 * UpdateItem: `SET wm_<shard> = :last ... ADD ...` under `wm_<shard> < :first`, so the dedupe
 * rides on the write itself; the ledger is one extra Put per batch, not per event.
 */
export class DynamoCounterStore implements CounterStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly ledgerKey: LedgerKey,
    private readonly transact: TransactOptions = {},
  ) {}

  async addOnce(write: CounterWrite, fence: Fence): Promise<AddOutcome> {
    try {
      await this.doc.send(new UpdateCommand(this.fencedUpdate({ write, fence })));
      return { applied: true };
    } catch (err) {
      if (!(err instanceof ConditionalCheckFailedException)) throw err;
      // Only redeliveries land here, so the extra read is paid rarely.
      return { applied: false, watermark: await this.readWatermark(write.key, fence.shardId) };
    }
  }

  /**
   * One TransactWriteItems per 100 keys, each Update under its own fence. A refused write returns
   * the item as it was (ReturnValuesOnConditionCheckFailure), so its watermark costs no extra read.
   */
  async addManyOnce(writes: readonly FencedWrite[]): Promise<AddOutcome[]> {
    const out = await transactWriteEach(
      this.doc,
      writes.map((w) => ({
        id: keyId(w.write.key),
        item: {
          Update: { ...this.fencedUpdate(w), ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const },
        },
      })),
      this.transact,
    );
    return Promise.all(
      out.map(async (o, i): Promise<AddOutcome> => {
        if (o.ok) return { applied: true };
        const { write, fence } = writes[i] as FencedWrite;
        const raw = o.old?.[watermarkAttr(fence.shardId)] as { S?: string } | undefined;
        const watermark =
          raw?.S !== undefined ? unpad(raw.S) : await this.readWatermark(write.key, fence.shardId);
        return { applied: false, watermark };
      }),
    );
  }

  /** `SET wm_<shard> = :last ... ADD ...` under `wm_<shard> < :first`. */
  private fencedUpdate({ write, fence }: FencedWrite) {
    const names: Record<string, string> = { '#wm': watermarkAttr(fence.shardId) };
    const values: Record<string, unknown> = {
      ':first': padSequence(fence.firstSequence),
      ':last': padSequence(fence.lastSequence),
    };
    const sets = ['#wm = :last'];
    const adds: string[] = [];
    let n = 0;
    for (const [attr, v] of Object.entries(write.set ?? {})) {
      names[`#${n}`] = attr;
      values[`:${n}`] = v;
      sets.push(`#${n} = :${n}`);
      n++;
    }
    for (const [attr, v] of Object.entries(write.add)) {
      names[`#${n}`] = attr;
      values[`:${n}`] = v;
      adds.push(`#${n} :${n}`);
      n++;
    }
    return {
      TableName: this.table,
      Key: write.key,
      UpdateExpression: `SET ${sets.join(', ')}${adds.length ? ` ADD ${adds.join(', ')}` : ''}`,
      ConditionExpression: 'attribute_not_exists(#wm) OR #wm < :first',
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    };
  }

  private async readWatermark(key: Readonly<Record<string, string>>, shardId: string): Promise<string> {
    const attr = watermarkAttr(shardId);
    const out = await this.doc.send(
      new GetCommand({
        TableName: this.table,
        Key: key,
        ConsistentRead: true,
        ProjectionExpression: '#wm',
        ExpressionAttributeNames: { '#wm': attr },
      }),
    );
    return unpad(String(out.Item?.[attr] ?? ''));
  }

  async getLedger(shardId: string): Promise<ShardLedger | undefined> {
    const out = await this.doc.send(
      new GetCommand({ TableName: this.table, Key: this.ledgerKey(shardId), ConsistentRead: true }),
    );
    if (!out.Item) return undefined;
    return {
      shard_id: shardId,
      event_ids: splitDigests(out.Item.event_ids),
      version: Number(out.Item.version ?? 0),
      ...(out.Item.watermark ? { watermark: out.Item.watermark as string } : {}),
    };
  }

  async putLedger(next: ShardLedger, expectedVersion: number): Promise<boolean> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.table,
          // One string attribute instead of a list: thousands of list elements cost more to marshal.
          Item: { ...this.ledgerKey(next.shard_id), ...next, event_ids: next.event_ids.join('') },
          ConditionExpression: expectedVersion === 0 ? 'attribute_not_exists(version)' : 'version = :v',
          ...(expectedVersion === 0 ? {} : { ExpressionAttributeValues: { ':v': expectedVersion } }),
        }),
      );
      return true;
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) return false;
      throw err;
    }
  }
}
