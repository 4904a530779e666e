import { randomBytes } from 'node:crypto';
import {
  BatchWriteCommand,
  type DynamoDBDocumentClient,
  PutCommand,
  QueryCommand,
} from '@aws-sdk/lib-dynamodb';
import { tableName } from '../../../shared/tables';

/** Audit records are kept for about 13 months, then DynamoDB's TTL removes them. */
const RETENTION_SECONDS = 400 * 86_400;

/** One mutation: who, when, what, and the entity before and after. */
export interface AuditRecord {
  readonly entity: string;
  /**
   * ISO time, a per-process sequence and a random suffix: two writes in the same millisecond
   * both survive and, from one process, keep their order.
   */
  readonly at: string;
  readonly actor: string;
  readonly role: string;
  readonly action: string;
  readonly request_id: string;
  readonly before?: unknown;
  readonly after?: unknown;
  readonly expires_at: number;
}

export type AuditEntry = Omit<AuditRecord, 'at' | 'expires_at'>;

/** The audit trail on the `audit` table, one partition per entity (`campaign:<id>`, `key:<id>`...). */
export class AuditLog {
  private readonly table: string;
  private seq = 0;
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    prefix: string,
    private readonly now: () => number = Date.now,
  ) {
    this.table = tableName(prefix, 'audit');
  }

  async write(entry: AuditEntry): Promise<AuditRecord> {
    const t = this.now();
    const record: AuditRecord = {
      ...entry,
      at: `${new Date(t).toISOString()}#${(this.seq++ % 1e9).toString().padStart(9, '0')}#${randomBytes(3).toString('hex')}`,
      expires_at: Math.floor(t / 1000) + RETENTION_SECONDS,
    };
    await this.doc.send(new PutCommand({ TableName: this.table, Item: record }));
    return record;
  }

  /** An entity's history, newest first. */
  async list(entity: string, limit: number, start?: Record<string, unknown>) {
    const out = await this.doc.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'entity = :e',
        ExpressionAttributeValues: { ':e': entity },
        ScanIndexForward: false,
        Limit: limit,
        ExclusiveStartKey: start,
      }),
    );
    return { items: (out.Items ?? []) as AuditRecord[], last: out.LastEvaluatedKey };
  }

  /** Removes an entity's whole history (a user's, when the user is deleted). */
  async purge(entity: string): Promise<number> {
    let removed = 0;
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.list(entity, 25, start);
      if (page.items.length)
        await this.doc.send(
          new BatchWriteCommand({
            RequestItems: {
              [this.table]: page.items.map((r) => ({
                DeleteRequest: { Key: { entity: r.entity, at: r.at } },
              })),
            },
          }),
        );
      removed += page.items.length;
      start = page.last;
    } while (start);
    return removed;
  }
}
