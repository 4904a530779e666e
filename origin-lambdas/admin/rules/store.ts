import { type DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { tableName } from '../../../shared/tables';
import { staleVersion } from '../http/concurrency';
import type { RuleVersion } from './schemas';

/** Rule versions on the `rules` table (surface, version); a version is written once, never changed. */
export class RuleStore {
  private readonly table: string;
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    prefix: string,
  ) {
    this.table = tableName(prefix, 'rules');
  }

  async current(surface: string): Promise<RuleVersion | undefined> {
    const out = await this.doc.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'surface = :s',
        ExpressionAttributeValues: { ':s': surface },
        ScanIndexForward: false,
        Limit: 1,
        ConsistentRead: true,
      }),
    );
    return out.Items?.[0] as RuleVersion | undefined;
  }

  async get(surface: string, version: number): Promise<RuleVersion | undefined> {
    const out = await this.doc.send(new GetCommand({ TableName: this.table, Key: { surface, version } }));
    return out.Item as RuleVersion | undefined;
  }

  async history(surface: string, limit: number, start?: Record<string, unknown>) {
    const out = await this.doc.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'surface = :s',
        ExpressionAttributeValues: { ':s': surface },
        ScanIndexForward: false,
        Limit: limit,
        ExclusiveStartKey: start,
      }),
    );
    return { items: (out.Items ?? []) as RuleVersion[], last: out.LastEvaluatedKey };
  }

  /** Appends a version; the key condition makes two writers racing for the same number fail one. */
  async append(v: RuleVersion): Promise<void> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.table,
          Item: v,
          ConditionExpression: 'attribute_not_exists(surface)',
        }),
      );
    } catch (err) {
      if ((err as Error).name === 'ConditionalCheckFailedException')
        throw staleVersion(`rules for ${v.surface}`);
      throw err;
    }
  }
}
